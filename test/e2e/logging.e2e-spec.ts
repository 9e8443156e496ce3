import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadServiceConfig } from '../../src/extensions/service-config';
import { DirectoryBackend } from '../../src/directory/directory-backend';
import { claimsFor, signJwt } from '../helpers/jwt';
import { BASE_ENV, TEST_JWT_SECRET, TEST_PUSHER } from '../helpers/test-app';

const FORM = 'application/x-www-form-urlencoded';
const COOKIE_SECRET = 'session-cookie-value-4f1d9a';
const CSRF_SECRET = 'csrf-token-value-77aa01';
const OTHER_KEY_SECRET = 'another-secret-that-is-long-enough-for-hs256';

/**
 * The real log output (every Nest Logger line and every request line, through pino, as in
 * production) captured while requests carry tokens in headers, cookies, bodies and JSONP URLs.
 */
describe('structured logs', () => {
  let app: NestFastifyApplication;
  const output: string[] = [];
  const lines = () =>
    output.map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLines = () =>
    lines().filter((line) => line.msg === 'request completed');

  beforeAll(async () => {
    app = await createApp(
      loadServiceConfig({
        ...BASE_ENV,
        DIRECTORY_URL: 'sqlite://:memory:',
        JSONP_ENABLED: 'true',
        JWT_QUERY_PARAM: 'token',
        LOG_LEVEL: 'trace',
      }),
      { logStream: { write: (line: string) => void output.push(line) } },
    );
    await app.get(DirectoryBackend).admin!.upsertUsers([
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'broken', userInfo: ['not', 'an', 'object'], watchlist: [] },
    ]);
  });
  afterAll(() => app?.close());

  it('never writes a token, cookie, secret or signature, and keeps what on-call needs', async () => {
    const headerToken = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    const bodyToken = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    const urlToken = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    const refusedToken = signJwt('HS256', OTHER_KEY_SECRET, claimsFor('alice'));
    const brokenToken = signJwt('HS256', TEST_JWT_SECRET, claimsFor('broken'));
    const signatures: string[] = [];

    const signedByHeader = await app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${headerToken}`,
        cookie: `session=${COOKIE_SECRET}`,
        'x-csrf-token': CSRF_SECRET,
        'content-type': FORM,
        'x-request-id': 'trace-abc-123',
      },
      payload: 'socket_id=1.2',
    });
    expect(signedByHeader.statusCode).toBe(200);
    expect(signedByHeader.headers['x-request-id']).toBe('trace-abc-123');
    signatures.push(signedByHeader.json().auth);

    const signedByBody = await app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: { 'content-type': FORM },
      payload: `socket_id=3.4&token=${bodyToken}`,
    });
    expect(signedByBody.statusCode).toBe(200);
    signatures.push(signedByBody.json().auth);

    const jsonp = await app.inject({
      method: 'GET',
      url: `/pusher/user-auth?callback=cb&socket_id=5.6&token=${urlToken}`,
      headers: { cookie: `session=${COOKIE_SECRET}` },
    });
    expect(jsonp.statusCode).toBe(200);
    signatures.push(/"auth":"([^"]+)"/.exec(jsonp.body)![1]);

    const refused = await app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${refusedToken}`,
        'content-type': FORM,
      },
      payload: 'socket_id=1.2',
    });
    expect(refused.statusCode).toBe(403);

    const broken = await app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: { authorization: `Bearer ${brokenToken}`, 'content-type': FORM },
      payload: 'socket_id=1.2',
    });
    expect(broken.statusCode).toBe(403);

    const text = output.join('');
    const secrets = [
      headerToken,
      bodyToken,
      urlToken,
      refusedToken,
      brokenToken,
      COOKIE_SECRET,
      CSRF_SECRET,
      TEST_JWT_SECRET,
      TEST_PUSHER.secret,
      ...signatures,
      ...signatures.map((auth) => auth.split(':')[1]),
    ];
    for (const token of [headerToken, bodyToken, urlToken, refusedToken]) {
      // Each part of a JWT alone (payload, signature) would be a leak too.
      secrets.push(...token.split('.').slice(1));
    }
    for (const secret of secrets) expect(text).not.toContain(secret);
    // The run did log at trace level: redaction, not silence, kept the secrets out.
    expect(lines().some((line) => line.level === 'debug')).toBe(true);
    expect(text).toContain('token refused');

    // One line per request, with the request id, outcome and user id.
    const requests = requestLines().filter(
      (line) => line.endpoint === '/pusher/user-auth',
    );
    expect(requests).toHaveLength(5);
    expect(requests.map((line) => line.outcome)).toEqual([
      'signed',
      'signed',
      'signed',
      'forbidden',
      'forbidden',
    ]);
    expect(requests.map((line) => line.userId)).toEqual([
      'alice',
      'alice',
      'alice',
      undefined,
      'broken',
    ]);
    expect(requests[0]).toMatchObject({
      requestId: 'trace-abc-123',
      method: 'POST',
      statusCode: 200,
      strategy: 'jwt',
      level: 'info',
    });
    expect(requests[2].url).toBe(
      '/pusher/user-auth?callback=cb&socket_id=5.6&token=[Redacted]',
    );
    for (const line of requests) {
      expect(typeof line.requestId).toBe('string');
      expect(typeof line.durationMs).toBe('number');
      expect(typeof line.time).toBe('string');
    }

    // A Nest Logger line written while serving a request carries that request's id.
    const ruleLine = lines().find(
      (line) =>
        typeof line.msg === 'string' && line.msg.startsWith('not signing user'),
    );
    expect(ruleLine).toMatchObject({
      level: 'warn',
      context: 'Errors',
      requestId: requests[4].requestId,
    });
  });

  it.each([
    ['has spaces', 'a b'],
    ['breaks a line', 'abc\r\nX-Injected: 1'],
    ['is longer than 128 characters', 'a'.repeat(129)],
    ['holds quotes', 'abc"def'],
  ])(
    'replaces a caller X-Request-Id that %s with a fresh id',
    async (_case, given) => {
      const response = await app.inject({
        method: 'GET',
        url: '/health/live',
        headers: { 'x-request-id': given },
      });
      const echoed = String(response.headers['x-request-id']);
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      expect(requestLines().at(-1)).toMatchObject({ requestId: echoed });
    },
  );

  it('logs probes at debug level, not info', async () => {
    await app.inject({ method: 'GET', url: '/health/ready' });
    expect(requestLines().at(-1)).toMatchObject({
      endpoint: '/health/ready',
      level: 'debug',
    });
  });
});
