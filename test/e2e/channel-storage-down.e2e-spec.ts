import { claimsFor, signJwt } from '../helpers/jwt';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { TcpProxy } from '../helpers/tcp-proxy';
import { waitForLog } from '../helpers/wait-for';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

describe('channel grants while PostgreSQL is unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestApp;

  const authorize = (channel: string) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `socket_id=1.2&channel_name=${channel}`,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.inFrontOf(database.url);
    service = await startTestApp({
      DIRECTORY_URL: proxy.urlFor(database.url),
      DIRECTORY_CACHE_TTL_MS: '60000',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    // Seeding notifies the cache; let that arrive before the user is cached on purpose.
    await waitForLog(service.logs.lines, /directory change: changed alice\b/);
    await service.admin.grantChannel({
      subject: 'user',
      subjectId: 'alice',
      channelPattern: 'presence-room-*',
    });
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 with Retry-After (not 403) when the grants cannot be read', async () => {
    // Loads and caches the user; the built-in rule needs no grants, so none are read yet.
    expect((await authorize('private-user-alice')).statusCode).toBe(200);
    await proxy.stop();

    const down = await authorize('presence-room-1');
    expect(down.statusCode).toBe(503);
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);

    // Channels decided without the directory keep working from the cached user.
    expect((await authorize('private-user-alice')).statusCode).toBe(200);
  });
});
