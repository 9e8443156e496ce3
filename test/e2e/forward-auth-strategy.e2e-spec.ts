import { FakeSessionApp } from '../helpers/fake-session-app';
import { closedPort } from '../helpers/local-http-server';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const APP_ORIGIN = 'https://app.example.com';
const CSRF = 'k9J2mQ7xVb1T0pZs4R8wYc6N';

type Headers = Record<string, string>;

function signIn(service: TestApp, headers: Headers) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    payload: 'socket_id=3.4',
  });
}

async function startWith(upstream: string, env: Headers = {}) {
  const service = await startTestApp({
    AUTH_STRATEGIES: 'forward-auth',
    DIRECTORY_URL: 'sqlite://:memory:',
    JSONP_ENABLED: 'true',
    FORWARD_AUTH_URL: upstream,
    FORWARD_AUTH_USER_FIELD: 'user.id',
    FORWARD_AUTH_TIMEOUT_MS: '300',
    CORS_ORIGINS: APP_ORIGIN,
    ...env,
  });
  await service.seed(
    { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
    { id: 'bob', userInfo: null, watchlist: [] },
  );
  return service;
}

/** What a browser on the app's page sends: the session and XSRF cookies, Origin, the header. */
const cookieCaller = (overrides: Headers = {}): Headers => ({
  cookie: `session=s-alice; XSRF-TOKEN=${CSRF}`,
  origin: APP_ORIGIN,
  'x-csrf-token': CSRF,
  ...overrides,
});

describe('forward-auth strategy with double-submit CSRF (the default)', () => {
  let upstream: FakeSessionApp;
  let service: TestApp;

  beforeAll(async () => {
    upstream = await FakeSessionApp.start();
    upstream.sessions.set('s-alice', { user: 'alice', csrf: 'unused' });
    upstream.sessions.set('redirect', { user: 'nobody', csrf: '' });
    upstream.bearers.set('api-token-bob', 'bob');
    service = await startWith(upstream.url);
  });
  afterAll(async () => {
    await service?.close();
    await upstream?.stop();
  });
  beforeEach(() => {
    upstream.mode = 'up';
  });

  it('signs in a cookie caller whose session the upstream confirms', async () => {
    const response = await signIn(service, cookieCaller());
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({
      id: 'alice',
      user_info: { name: 'Alice' },
    });
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '3.4', userData),
    );
    const asked = upstream.server.received.at(-1)!;
    expect(asked.method).toBe('GET');
    expect(asked.headers.cookie).toBe(`session=s-alice; XSRF-TOKEN=${CSRF}`);
  });

  it('accepts an URL-encoded XSRF cookie, as frameworks set it', async () => {
    const token = 'abc+/=def';
    const response = await signIn(
      service,
      cookieCaller({
        cookie: `session=s-alice; XSRF-TOKEN=${encodeURIComponent(token)}`,
        'x-csrf-token': token,
      }),
    );
    expect(response.statusCode).toBe(200);
  });

  it('signs in a bearer caller without cookie, Origin or CSRF token', async () => {
    const response = await signIn(service, {
      authorization: 'Bearer api-token-bob',
    });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.json().user_data)).toEqual({ id: 'bob' });
    expect(upstream.server.received.at(-1)!.headers.authorization).toBe(
      'Bearer api-token-bob',
    );
  });

  it.each([
    ['no X-CSRF-Token header', cookieCaller({ 'x-csrf-token': '' })],
    [
      'an X-CSRF-Token that differs from the cookie',
      cookieCaller({ 'x-csrf-token': `${CSRF}x` }),
    ],
    ['no XSRF-TOKEN cookie', cookieCaller({ cookie: 'session=s-alice' })],
    [
      'two XSRF-TOKEN cookies (one planted)',
      cookieCaller({
        cookie: `session=s-alice; XSRF-TOKEN=${CSRF}; XSRF-TOKEN=evil`,
      }),
    ],
    ['no Origin header', cookieCaller({ origin: '' })],
    [
      'an Origin that is not allowed',
      cookieCaller({ origin: 'https://evil.example.com' }),
    ],
    [
      'ambient Basic credentials without CSRF defence',
      { authorization: 'Basic YWxpY2U6cHc=' },
    ],
  ])(
    'answers 403 without asking the upstream for %s',
    async (_case, headers) => {
      const before = upstream.calls;
      const present = Object.fromEntries(
        Object.entries(headers).filter(([, value]) => value !== ''),
      );
      const response = await signIn(service, present);
      expect(response.statusCode).toBe(403);
      expect(upstream.calls).toBe(before);
    },
  );

  it.each([
    [
      'refuses the session (401)',
      cookieCaller({ cookie: `session=expired; XSRF-TOKEN=${CSRF}` }),
    ],
    [
      'redirects to its login page (302)',
      cookieCaller({ cookie: `session=redirect; XSRF-TOKEN=${CSRF}` }),
    ],
    ['does not know the bearer token', { authorization: 'Bearer unknown' }],
  ])('answers 403 when the upstream %s', async (_case, headers) => {
    const before = upstream.calls;
    const response = await signIn(service, headers);
    expectForbidden(response);
    expect(upstream.calls).toBe(before + 1);
  });

  it('answers 403 without asking anyone when the request carries no credentials', async () => {
    const before = upstream.calls;
    expect((await signIn(service, {})).statusCode).toBe(403);
    expect(upstream.calls).toBe(before);
  });

  it('never uses the session for JSONP, whatever the request carries', async () => {
    const before = upstream.calls;
    const response = await service.app.inject({
      method: 'GET',
      url: '/pusher/user-auth?socket_id=3.4&callback=cb',
      headers: cookieCaller(),
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('cb(');
    expect(upstream.calls).toBe(before);
  });

  it.each([
    ['answers 5xx', 'error' as const, /answered 500/],
    [
      'does not answer within FORWARD_AUTH_TIMEOUT_MS',
      'slow' as const,
      /no answer within 300 ms/,
    ],
  ])(
    'answers 503 with Retry-After when the upstream %s',
    async (_case, mode, logged) => {
      upstream.mode = mode;
      const response = await signIn(service, cookieCaller());
      expect(response.statusCode).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(service.logs.lines.join('\n')).toMatch(logged);
    },
  );

  it('never writes a cookie or CSRF token into a log line', () => {
    const log = service.logs.lines.join('\n');
    expect(log).toContain('forward-auth'); // the failures above were logged
    expect(log).not.toContain('s-alice');
    expect(log).not.toContain(CSRF);
    expect(log).not.toContain('api-token-bob');
  });
});

describe('forward-auth strategy with the CSRF token forwarded and the user in a header', () => {
  let upstream: FakeSessionApp;
  let service: TestApp;

  beforeAll(async () => {
    upstream = await FakeSessionApp.start({
      userIn: 'header',
      checksCsrf: true,
    });
    upstream.sessions.set('s-alice', { user: 'alice', csrf: CSRF });
    service = await startWith(upstream.url, {
      FORWARD_AUTH_USER_FIELD: '',
      FORWARD_AUTH_USER_HEADER: 'X-Auth-User',
      FORWARD_AUTH_CSRF: 'forward',
      FORWARD_AUTH_METHOD: 'POST',
      FORWARD_AUTH_ALLOWED_ORIGINS: 'https://other.example.com',
    });
  });
  afterAll(async () => {
    await service?.close();
    await upstream?.stop();
  });

  const caller = (overrides: Headers = {}): Headers => ({
    cookie: 'session=s-alice',
    origin: 'https://other.example.com',
    'x-csrf-token': CSRF,
    ...overrides,
  });

  it('signs in when the upstream accepts the forwarded token and names the user in its header', async () => {
    const response = await signIn(service, caller());
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.json().user_data)).toEqual({
      id: 'alice',
      user_info: { name: 'Alice' },
    });
    const asked = upstream.server.received.at(-1)!;
    expect(asked.method).toBe('POST');
    expect(asked.headers['x-csrf-token']).toBe(CSRF);
  });

  it('answers 403 when the upstream rejects the forwarded token', async () => {
    expect(
      (await signIn(service, caller({ 'x-csrf-token': 'forged' }))).statusCode,
    ).toBe(403);
  });

  it('still requires the token and an allowed Origin before asking', async () => {
    const before = upstream.calls;
    const withoutToken = caller();
    delete withoutToken['x-csrf-token'];
    expect((await signIn(service, withoutToken)).statusCode).toBe(403);
    // FORWARD_AUTH_ALLOWED_ORIGINS replaces CORS_ORIGINS for this check.
    expect(
      (await signIn(service, caller({ origin: APP_ORIGIN }))).statusCode,
    ).toBe(403);
    expect(upstream.calls).toBe(before);
  });
});

describe('forward-auth strategy when the upstream is unreachable', () => {
  let service: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
    service = await startWith(`http://127.0.0.1:${port}/auth/session`);
  });
  afterAll(() => service?.close());

  it('answers 503 with Retry-After and names the upstream in the log', async () => {
    const response = await signIn(service, cookieCaller());
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(service.logs.lines.join('\n')).toContain(
      `forward-auth (http://127.0.0.1:${port}/auth/session) unavailable: unreachable`,
    );
  });
});
