import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { signInOnApp, SignInResult } from '../helpers/sign-in';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor, waitForLog } from '../helpers/wait-for';

const nameOf = (result: SignInResult) =>
  (result.user?.user_info as { name?: string } | undefined)?.name;

/** Only a notification (or a reset after a reconnect) can refresh a user within this TTL. */
const LONG_TTL_MS = '600000';

describe('the PostgreSQL change listener losing its connection', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestApp;
  let admin: Client;

  const signIn = () => signInOnApp(service.app, 'alice');
  const setName = (name: string) =>
    admin.query(
      `UPDATE directory_users SET user_info = $1 WHERE id = 'alice'`,
      [JSON.stringify({ name })],
    );
  const logCount = (pattern: RegExp) =>
    service.logs.lines.filter((line) => pattern.test(line)).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.inFrontOf(database.url);
    service = await startTestApp({
      DIRECTORY_URL: proxy.urlFor(database.url),
      DIRECTORY_CACHE_TTL_MS: LONG_TTL_MS,
    });
    await service.seed({
      id: 'alice',
      userInfo: { name: 'v1' },
      watchlist: [],
    });
    await waitForLog(service.logs.lines, /directory change: changed alice\b/);
    // The test's own connection bypasses the proxy: it writes while the service is cut off.
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await service?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('reconnects after its backend is terminated, and hears changes again', async () => {
    expect(nameOf(await signIn())).toBe('v1');
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'pusher-auth-listener' AND datname = current_database()`,
    );
    expect(rowCount).toBe(1);
    await waitForLog(
      service.logs.lines,
      /directory change listener lost .*DIRECTORY_CACHE_TTL_MS/,
    );
    await waitForLog(
      service.logs.lines,
      /listening for directory changes again; cache cleared/,
    );

    await setName('v2');
    await waitFor(
      'the change to be seen',
      async () => nameOf(await signIn()) === 'v2',
    );
  });

  it('clears the cache on reconnecting, since changes made while it was away were missed', async () => {
    expect(nameOf(await signIn())).toBe('v2');
    const lost = logCount(/directory change listener lost/);
    const back = logCount(/listening for directory changes again/);

    await proxy.stop();
    await waitFor(
      'the loss to be noticed',
      () => logCount(/directory change listener lost/) > lost,
    );
    // Committed while the listener is away: its notification reaches no one.
    await setName('v3');
    await proxy.start(proxy.port);
    await waitFor(
      'the listener to come back',
      () => logCount(/listening for directory changes again/) > back,
    );

    expect(nameOf(await signIn())).toBe('v3');
  });
});
