import { randomBytes } from 'node:crypto';
import { FakeIntrospectionEndpoint } from '../helpers/fake-introspection';
import { closedPort, sleep } from '../helpers/local-http-server';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const CLIENT_ID = 'pusher-auth';
// Characters RFC 6749 §2.3.1 wants form-encoded before HTTP Basic.
const CLIENT_SECRET = 'an introspection secret: with/odd+chars&more';

const opaque = () => randomBytes(24).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

function startWith(endpointUrl: string, env: Record<string, string> = {}) {
  return startTestApp({
    AUTH_STRATEGIES: 'introspection',
    DIRECTORY_URL: 'sqlite://:memory:',
    INTROSPECTION_URL: endpointUrl,
    INTROSPECTION_CLIENT_ID: CLIENT_ID,
    INTROSPECTION_CLIENT_SECRET: CLIENT_SECRET,
    ...env,
  });
}

function signIn(service: TestApp, token?: string, authorization?: string) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(authorization ? { authorization } : {}),
    },
    payload: 'socket_id=7.8',
  });
}

const expectUnavailable = (response: {
  statusCode: number;
  headers: Record<string, unknown>;
}) => {
  expect(response.statusCode).toBe(503);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
};

describe('introspection strategy (RFC 7662)', () => {
  let endpoint: FakeIntrospectionEndpoint;
  let service: TestApp;
  const used: string[] = [];
  const activeToken = (answer: Record<string, unknown> = {}) => {
    const token = opaque();
    used.push(token);
    endpoint.answers.set(token, {
      active: true,
      sub: 'alice',
      client_id: 'web-app',
      exp: nowS() + 3600,
      ...answer,
    });
    return token;
  };

  beforeAll(async () => {
    endpoint = await FakeIntrospectionEndpoint.start(CLIENT_ID, CLIENT_SECRET);
    service = await startWith(endpoint.url, {
      // Above a cold fetch on a loaded machine (about 0.3 s at first use on Node 24), so only the
      // 'slow' endpoint, which never answers, runs into it.
      INTROSPECTION_TIMEOUT_MS: '2000',
    });
    await service.seed(
      { id: 'alice', userInfo: { name: 'Alice' }, watchlist: ['bob'] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(async () => {
    await service?.close();
    await endpoint?.stop();
  });
  beforeEach(() => {
    endpoint.mode = 'up';
  });

  it('signs in the user an active token belongs to, posting it with the client credentials', async () => {
    const token = activeToken();
    const response = await signIn(service, token);
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({
      id: 'alice',
      user_info: { name: 'Alice' },
      watchlist: ['bob'],
    });
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '7.8', userData),
    );
    const call = endpoint.server.received.at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      token,
      token_type_hint: 'access_token',
    });
  });

  it('reuses an active answer instead of asking again', async () => {
    const token = activeToken();
    for (let i = 0; i < 3; i++) {
      expect((await signIn(service, token)).statusCode).toBe(200);
    }
    expect(endpoint.callsFor(token)).toBe(1);
  });

  it('asks once for many concurrent sign-ins with one token', async () => {
    const token = activeToken();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => signIn(service, token)),
    );
    expect(responses.every((response) => response.statusCode === 200)).toBe(
      true,
    );
    expect(endpoint.callsFor(token)).toBe(1);
  });

  it('answers 403 for an inactive token and reuses that answer briefly', async () => {
    const token = opaque();
    used.push(token);
    endpoint.answers.set(token, { active: false });
    expect((await signIn(service, token)).statusCode).toBe(403);
    expect((await signIn(service, token)).statusCode).toBe(403);
    expect(endpoint.callsFor(token)).toBe(1);
  });

  it.each([
    ['a token the server does not know', () => opaque()],
    [
      'an active answer whose exp has passed',
      () => activeToken({ exp: nowS() - 5 }),
    ],
    [
      'an active answer that is not valid yet (nbf)',
      () => activeToken({ nbf: nowS() + 600 }),
    ],
    ['an active answer without sub', () => activeToken({ sub: undefined })],
    // A time claim of the wrong type is a refusal, never "absent".
    ...(['exp', 'nbf', 'iat'] as const).flatMap((claim) =>
      ['1', null, 1e300, -1, [nowS() + 600]].map(
        (value) =>
          [
            `an active answer whose ${claim} is ${JSON.stringify(value)}`,
            () => activeToken({ [claim]: value }),
          ] as [string, () => string],
      ),
    ),
    [
      'an active answer naming an id outside the user rules',
      () => activeToken({ sub: 'a b/c' }),
    ],
    [
      'an active answer for a user not in the directory',
      () => activeToken({ sub: 'mallory' }),
    ],
  ])('answers 403 for %s', async (_case, token) => {
    const response = await signIn(service, token());
    expectForbidden(response);
  });

  it('never asks about requests without a bearer token', async () => {
    const before = endpoint.server.received.length;
    expect((await signIn(service)).statusCode).toBe(403);
    expect(
      (await signIn(service, undefined, 'Basic YWxpY2U6c2VjcmV0')).statusCode,
    ).toBe(403);
    expect(endpoint.server.received.length).toBe(before);
  });

  it.each([
    ['answers 5xx', 'error' as const],
    ['does not answer within INTROSPECTION_TIMEOUT_MS', 'slow' as const],
    ['answers something that is not RFC 7662 JSON', 'not-json' as const],
  ])(
    'answers 503 with Retry-After when the endpoint %s',
    async (_case, mode) => {
      endpoint.mode = mode;
      expectUnavailable(await signIn(service, activeToken()));
    },
  );

  it('never writes a token into a log line', () => {
    expect(used.length).toBeGreaterThan(5);
    for (const token of used) {
      for (const line of service.logs.lines) expect(line).not.toContain(token);
    }
  });
});

describe('introspection strategy settings', () => {
  let endpoint: FakeIntrospectionEndpoint;
  let service: TestApp | undefined;

  beforeAll(async () => {
    endpoint = await FakeIntrospectionEndpoint.start(CLIENT_ID, CLIENT_SECRET);
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(() => endpoint?.stop());

  const seeded = async (env: Record<string, string>, url = endpoint.url) => {
    service = await startWith(url, {
      INTROSPECTION_TIMEOUT_MS: '2000',
      ...env,
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    return service;
  };

  it('reads the user id from INTROSPECTION_USER_ID_FIELD', async () => {
    await seeded({ INTROSPECTION_USER_ID_FIELD: 'username' });
    const token = opaque();
    endpoint.answers.set(token, {
      active: true,
      sub: '248289761001',
      username: 'alice',
      exp: nowS() + 60,
    });
    const response = await signIn(service!, token);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.json().user_data)).toEqual({ id: 'alice' });
  });

  it('reuses an active answer no longer than its exp, even under a longer TTL', async () => {
    await seeded({ INTROSPECTION_CACHE_TTL_MS: '600000' });
    const token = opaque();
    const exp = nowS() + 1;
    endpoint.answers.set(token, { active: true, sub: 'alice', exp });
    expect((await signIn(service!, token)).statusCode).toBe(200);
    await sleep(exp * 1000 - Date.now() + 50);
    // The server (wrongly) still says active, but exp has passed: asked again, and refused.
    expect((await signIn(service!, token)).statusCode).toBe(403);
    expect(endpoint.callsFor(token)).toBe(2);
  });

  it('reuses an active answer no longer than INTROSPECTION_CACHE_TTL_MS when exp is later', async () => {
    await seeded({ INTROSPECTION_CACHE_TTL_MS: '200' });
    const token = opaque();
    endpoint.answers.set(token, {
      active: true,
      sub: 'alice',
      exp: nowS() + 3600,
    });
    expect((await signIn(service!, token)).statusCode).toBe(200);
    await sleep(300);
    endpoint.answers.set(token, { active: false }); // revoked meanwhile
    expect((await signIn(service!, token)).statusCode).toBe(403);
    expect(endpoint.callsFor(token)).toBe(2);
  });

  it('reuses an inactive answer no longer than INTROSPECTION_NEGATIVE_CACHE_TTL_MS', async () => {
    await seeded({ INTROSPECTION_NEGATIVE_CACHE_TTL_MS: '200' });
    const token = opaque();
    expect((await signIn(service!, token)).statusCode).toBe(403);
    endpoint.answers.set(token, {
      active: true,
      sub: 'alice',
      exp: nowS() + 60,
    });
    expect((await signIn(service!, token)).statusCode).toBe(403); // cached
    await sleep(300);
    expect((await signIn(service!, token)).statusCode).toBe(200);
    expect(endpoint.callsFor(token)).toBe(2);
  });

  it('answers 503 and logs why when the endpoint refuses our client credentials', async () => {
    service = await startWith(endpoint.url, {
      INTROSPECTION_CLIENT_SECRET: 'not-the-secret',
    });
    const token = opaque();
    endpoint.answers.set(token, { active: true, sub: 'alice' });
    expectUnavailable(await signIn(service, token));
    const log = service.logs.lines.join('\n');
    expect(log).toMatch(
      /introspection \(http:\/\/127\.0\.0\.1:\d+\/oauth2\/introspect\) unavailable: refused our client credentials \(401\)/,
    );
    expect(log).not.toContain('not-the-secret');
    expect(log).not.toContain(token);
  });

  it('answers 503 naming the endpoint when it is unreachable', async () => {
    const port = await closedPort();
    await seeded({}, `http://127.0.0.1:${port}/introspect`);
    expectUnavailable(await signIn(service!, opaque()));
    expect(service!.logs.lines.join('\n')).toMatch(
      new RegExp(
        `introspection \\(http://127.0.0.1:${port}/introspect\\) unavailable: unreachable`,
      ),
    );
  });
});
