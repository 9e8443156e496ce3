import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { injectSignIn } from '../helpers/sign-in';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitForLog } from '../helpers/wait-for';

describe('PostgreSQL becoming unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestApp;

  const signIn = (sub: string) => injectSignIn(service.app, sub, '1.2');

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.inFrontOf(database.url);
    service = await startTestApp({
      DIRECTORY_URL: proxy.urlFor(database.url),
      DIRECTORY_CACHE_TTL_MS: '60000',
    });
    await service.seed(
      { id: 'cached', userInfo: null, watchlist: [] },
      { id: 'uncached', userInfo: null, watchlist: [] },
    );
    // Seeding notifies the cache; let that arrive before a user is cached on purpose.
    await waitForLog(
      service.logs.lines,
      /directory change: changed uncached\b/,
    );
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 with Retry-After (not 403 or 500) while storage is down, and recovers', async () => {
    expect((await signIn('cached')).statusCode).toBe(200);
    await proxy.stop();

    const down = await signIn('uncached');
    expect(down.statusCode).toBe(503);
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    expect(down.json()).toEqual({
      statusCode: 503,
      message: 'Service Unavailable',
      error: 'Service Unavailable',
    });
    expect(
      service.logs.lines.some((line) =>
        /user directory unavailable/.test(line),
      ),
    ).toBe(true);

    // A user loaded moments ago is still served from the in-process cache.
    expect((await signIn('cached')).statusCode).toBe(200);

    await proxy.start(proxy.port);
    let recovered = 0;
    for (let attempt = 0; attempt < 20 && recovered !== 200; attempt++) {
      recovered = (await signIn('uncached')).statusCode;
      if (recovered !== 200)
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(recovered).toBe(200);
  });
});
