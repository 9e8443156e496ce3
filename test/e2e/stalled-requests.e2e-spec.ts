import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimsFor, signJwt } from '../helpers/jwt';
import { LocalHttpServer, sendJson } from '../helpers/local-http-server';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { postHead, RawConnection, within } from '../helpers/raw-connection';
import { startService, stopService } from '../helpers/service-process';
import { waitFor } from '../helpers/wait-for';
import {
  BASE_ENV,
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const BODY = 'socket_id=1.2';
const bearer = () =>
  `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`;

/** What a slow or hostile client leaves on a connection. */
const STALLED: [string, string][] = [
  [
    'a body that stops halfway (Content-Length: 100, 50 bytes sent)',
    `${postHead('/pusher/user-auth', 100)}${'x'.repeat(50)}`,
  ],
  [
    'headers cut short',
    'POST /pusher/user-auth HTTP/1.1\r\nHost: 127.0.0.1\r\n',
  ],
  ['a connection that never sends a byte', ''],
];

describe('receiving a request is bounded (HTTP_REQUEST_TIMEOUT_MS=300)', () => {
  let service: TestApp;
  let port: number;

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      HTTP_REQUEST_TIMEOUT_MS: '300',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    ({ port } = service.app.getHttpServer().address() as { port: number });
  });
  afterAll(() => service?.close());

  it.each(STALLED)('answers 408 and closes %s', async (_case, bytes) => {
    const connection = await RawConnection.open(port, bytes);
    // Without the bound the connection stays open for minutes: give it thirty times the setting.
    await within(
      connection.closed,
      9_000,
      'the stalled connection is still open',
    );
    expect(connection.responses.map((response) => response.status)).toEqual([
      408,
    ]);
  });

  it('answers a request whose body arrives in several pieces', async () => {
    const connection = await RawConnection.open(
      port,
      postHead('/pusher/user-auth', BODY.length, { Authorization: bearer() }),
    );
    connection.write(BODY.slice(0, 5));
    connection.write(BODY.slice(5));
    await waitFor('the answer', () =>
      connection.received.includes('"user_data"'),
    );
    expect(connection.responses[0].status).toBe(200);
    const { auth, user_data: userData } = JSON.parse(
      connection.received.slice(connection.received.indexOf('{')),
    );
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
    );
    connection.destroy();
  });
});

/**
 * The compiled service as an orchestrator runs it. HTTP_REQUEST_TIMEOUT_MS is far longer than
 * SHUTDOWN_TIMEOUT_MS here, so only the drain itself can close the stalled connections in time.
 */
describe('graceful shutdown with stalled and idle connections', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-stalled-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('closes them and exits 0 instead of waiting out SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startService(
      {
        ...BASE_ENV,
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        DIRECTORY_URL: 'sqlite://:memory:',
        HTTP_REQUEST_TIMEOUT_MS: '120000',
        SHUTDOWN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    const exited = new Promise<number | null>((resolve) =>
      service.child.once('exit', (code) => resolve(code)),
    );
    const connections: RawConnection[] = [];
    try {
      const port = Number(service.match[1]);
      for (const [, bytes] of STALLED) {
        connections.push(await RawConnection.open(port, bytes));
      }
      // A keep-alive connection, idle after its answer.
      const idle = await RawConnection.open(
        port,
        'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      );
      connections.push(idle);
      await waitFor('the health answer', () => idle.responses.length > 0);

      service.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(service.output()).toMatch(/drained and closed/);
      expect(service.output()).not.toMatch(/did not finish within/);
      await within(
        Promise.all(connections.map((connection) => connection.closed)),
        5_000,
        'a connection outlived the process',
      );
      // Closed by the drain, not answered by the (two-minute) request timeout.
      for (const connection of connections.slice(0, STALLED.length)) {
        expect(connection.responses).toEqual([]);
      }
    } finally {
      connections.forEach((connection) => connection.destroy());
      await stopService(service.child);
    }
  });
});

/**
 * Nest's `app.close()` (what SIGTERM leads to) with one sign-in still in flight, held by an
 * identity provider that has not answered yet.
 */
describe('a request that arrives while the listener closes', () => {
  let release: () => void = () => undefined;
  let provider: LocalHttpServer;
  let service: TestApp;
  let port: number;

  beforeAll(async () => {
    provider = await LocalHttpServer.start(async (_request, response) => {
      await new Promise<void>((resolve) => (release = resolve));
      sendJson(response, 200, { active: true, sub: 'alice' });
    });
    service = await startTestApp({
      AUTH_STRATEGIES: 'introspection',
      DIRECTORY_URL: 'sqlite://:memory:',
      INTROSPECTION_URL: `${provider.origin}/introspect`,
      INTROSPECTION_CLIENT_ID: 'pusher-auth',
      INTROSPECTION_CLIENT_SECRET: 'introspection-client-secret',
      INTROSPECTION_TIMEOUT_MS: '20000',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    ({ port } = service.app.getHttpServer().address() as { port: number });
  });
  afterAll(async () => {
    release();
    await provider?.stop();
  });

  it('is answered 503 with Retry-After and Connection: close, and logged like any request', async () => {
    const inFlight = await RawConnection.open(
      port,
      `${postHead('/pusher/user-auth', BODY.length, { Authorization: 'Bearer opaque-token' })}${BODY}`,
    );
    await waitFor('the sign-in to reach the provider', () =>
      provider.received.length === 1 ? true : undefined,
    );
    // Its headers are not complete yet: no request exists on this connection.
    const late = await RawConnection.open(
      port,
      postHead('/pusher/user-auth', BODY.length, {
        Authorization: 'Bearer opaque-token',
        'X-Request-Id': 'late-arrival',
      }).slice(0, -2),
    );

    const closed = service.app.close();
    await waitFor('the listener to refuse connections', () =>
      RawConnection.open(port).then(
        (probe) => (probe.destroy(), false),
        () => true,
      ),
    );
    late.write(`\r\n${BODY}`);
    await waitFor('the late answer', () => late.responses.length > 0);
    const [answer] = late.responses;
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.headers['connection']).toBe('close');
    expect(answer.headers['x-request-id']).toBe('late-arrival');
    expect(late.received.slice(late.received.indexOf('{'))).toBe(
      JSON.stringify({
        statusCode: 503,
        message: 'Service Unavailable',
        error: 'Service Unavailable',
      }),
    );

    // The request in flight is still answered, then the listener finishes closing.
    release();
    await waitFor('the signed answer', () => inFlight.responses.length > 0);
    expect(inFlight.responses[0].status).toBe(200);
    await within(closed, 5_000, 'app.close() did not finish');
    await within(late.closed, 5_000, 'the late connection stayed open');

    const line = service.logs.json.find(
      (entry) =>
        entry.msg === 'request completed' && entry.requestId === 'late-arrival',
    );
    expect(line).toMatchObject({
      level: 'info',
      endpoint: '/pusher/user-auth',
      statusCode: 503,
      outcome: 'unavailable',
    });
  });
});
