import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { signInOnApp } from '../helpers/sign-in';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { claimsFor, signJwt } from '../helpers/jwt';
import { waitForLog } from '../helpers/wait-for';

const TTL_MS = 200;
const STALE_IF_ERROR_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DIRECTORY_STALE_IF_ERROR_MS while PostgreSQL is down', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestApp;

  const signIn = (id: string) => signInOnApp(service.app, id);

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.inFrontOf(database.url);
    service = await startTestApp({
      DIRECTORY_URL: proxy.urlFor(database.url),
      DIRECTORY_CACHE_TTL_MS: String(TTL_MS),
      DIRECTORY_STALE_IF_ERROR_MS: String(STALE_IF_ERROR_MS),
    });
    await service.seed(
      { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
      { id: 'bob', userInfo: { name: 'Bob' }, watchlist: [] },
    );
    await waitForLog(service.logs.lines, /directory change: changed bob\b/);
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('serves a user loaded within the window past the TTL, and 503 once it has passed', async () => {
    const loadedAt = Date.now();
    expect((await signIn('alice')).status).toBe(200);
    await proxy.stop();
    await sleep(TTL_MS + 100);

    // Past the TTL, inside the stale window: served, and the log says so.
    expect(await signIn('alice')).toMatchObject({
      status: 200,
      user: { id: 'alice' },
    });
    expect(
      service.logs.lines.some((line) =>
        /user directory unavailable: serving user "alice" as loaded \d+ ms ago/.test(
          line,
        ),
      ),
    ).toBe(true);

    // Never loaded: nothing to fall back on.
    const bob = await service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('bob'))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'socket_id=1.2',
    });
    expect(bob.statusCode).toBe(503);
    expect(Number(bob.headers['retry-after'])).toBeGreaterThan(0);

    await sleep(
      Math.max(0, loadedAt + TTL_MS + STALE_IF_ERROR_MS + 100 - Date.now()),
    );
    expect((await signIn('alice')).status).toBe(503);

    await proxy.start(proxy.port);
  });
});
