import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_STRATEGIES } from '../../src/auth/strategy-registry';
import { FakeIntrospectionEndpoint } from '../helpers/fake-introspection';
import { claimsFor, signJwt } from '../helpers/jwt';
import { runServiceToExit } from '../helpers/service-process';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const CLIENT_ID = 'pusher-auth';
const CLIENT_SECRET = 'introspection-client-secret';
const nowS = () => Math.floor(Date.now() / 1000);

describe.each([
  ['introspection,jwt', 'bob'],
  ['jwt,introspection', 'alice'],
])('AUTH_STRATEGIES=%s', (strategies, winner) => {
  let endpoint: FakeIntrospectionEndpoint;
  let service: TestApp;
  const jwt = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
  const opaque = randomBytes(24).toString('base64url');

  beforeAll(async () => {
    endpoint = await FakeIntrospectionEndpoint.start(CLIENT_ID, CLIENT_SECRET);
    service = await startTestApp({
      AUTH_STRATEGIES: strategies,
      INTROSPECTION_URL: endpoint.url,
      INTROSPECTION_CLIENT_ID: CLIENT_ID,
      INTROSPECTION_CLIENT_SECRET: CLIENT_SECRET,
      // Above a cold fetch on a loaded machine (about 0.3 s at first use on Node 24), so only the
      // 'slow' endpoint, which never answers, runs into it.
      INTROSPECTION_TIMEOUT_MS: '2000',
      DIRECTORY_URL: 'sqlite://:memory:',
    });
    await service.seed(
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
      { id: 'carol', userInfo: null, watchlist: [] },
    );
  });
  afterAll(async () => {
    await service?.close();
    await endpoint?.stop();
  });
  beforeEach(() => {
    endpoint.mode = 'up';
    endpoint.answers.clear();
  });

  const signIn = (token: string) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'socket_id=1.1',
    });
  const idOf = (response: { json(): { user_data: string } }) =>
    (JSON.parse(response.json().user_data) as { id: string }).id;

  it('signs in a JWT caller through the jwt strategy', async () => {
    const response = await signIn(jwt);
    expect(response.statusCode).toBe(200);
    expect(idOf(response)).toBe('alice');
  });

  it('signs in an opaque-token caller through introspection', async () => {
    endpoint.answers.set(opaque, {
      active: true,
      sub: 'carol',
      exp: nowS() + 60,
    });
    const response = await signIn(`${opaque}`);
    expect(response.statusCode).toBe(200);
    expect(idOf(response)).toBe('carol');
  });

  it(`lets the first strategy that identifies the caller win (${winner})`, async () => {
    // The authorization server also vouches for the JWT, naming another user.
    const token = signJwt(
      'HS256',
      TEST_JWT_SECRET,
      claimsFor('alice', { jti: strategies }),
    );
    endpoint.answers.set(token, { active: true, sub: 'bob', exp: nowS() + 60 });
    const response = await signIn(token);
    expect(response.statusCode).toBe(200);
    expect(idOf(response)).toBe(winner);
  });

  it('answers 403 when no strategy identifies the caller', async () => {
    expect(
      (await signIn(randomBytes(24).toString('base64url'))).statusCode,
    ).toBe(403);
  });

  it('still signs in JWT callers while the introspection endpoint is down', async () => {
    endpoint.mode = 'error';
    const token = signJwt(
      'HS256',
      TEST_JWT_SECRET,
      claimsFor('alice', { jti: 'down' }),
    );
    expect((await signIn(token)).statusCode).toBe(200);
  });

  it('answers 503 to a caller only the failing provider could have identified', async () => {
    endpoint.mode = 'slow';
    const response = await signIn(randomBytes(24).toString('base64url'));
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('unknown names in AUTH_STRATEGIES', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-strategies-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('stop the compiled service at start-up with one clear message', async () => {
    const { code, output } = await runServiceToExit(
      {
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'secret',
        JWT_SECRET: 'too-short',
        AUTH_STRATEGIES: 'jwt,saml,forward-auth',
        FORWARD_AUTH_URL: 'ftp://session.internal/check',
        INTROSPECTION_URL: 'not a url',
      },
      workDir,
    );
    expect(code).toBe(1);
    expect(output).toContain(
      // The names the registry lists, in its order (no copy of the list here).
      `AUTH_STRATEGIES: unknown strategy "saml" (known: ${SHIPPED_STRATEGIES.map((strategy) => strategy.name).join(', ')})`,
    );
    // The named strategies' own settings are checked in the same pass.
    expect(output).toContain(
      'FORWARD_AUTH_URL: must be an http:// or https:// URL',
    );
    // Each strategy's own cross-checks too (jwt's key rules).
    expect(output).toContain('JWT_SECRET must be at least 32 bytes');
    expect(output).not.toContain('too-short');
    // A strategy that is not enabled has its settings ignored.
    expect(output).not.toContain('INTROSPECTION_URL');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
