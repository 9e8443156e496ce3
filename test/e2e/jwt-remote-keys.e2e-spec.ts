import { createHmac, randomBytes } from 'node:crypto';
import { FakeIdentityProvider, idpKey, IdpKey } from '../helpers/fake-idp';
import { claimsFor, encodeJwt, signJwt } from '../helpers/jwt';
import {
  closedPort,
  LocalHttpServer,
  sleep,
} from '../helpers/local-http-server';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const AUDIENCE = 'pusher-auth';

// RSA key generation is slow: made once for the file.
const K1 = idpKey('k1');
const K2 = idpKey('k2');
const K3 = idpKey('k3');
const STRANGER = idpKey('k1'); // same kid as K1, another key pair

async function startWith(env: Record<string, string>): Promise<TestApp> {
  const service = await startTestApp({
    JWT_SECRET: '',
    DIRECTORY_URL: 'sqlite://:memory:',
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });
  await service.seed({
    id: 'alice',
    userInfo: { name: 'Alice' },
    watchlist: [],
  });
  return service;
}

function signIn(service: TestApp, token?: string) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    payload: 'socket_id=1.2',
  });
}

const randomKid = () => randomBytes(12).toString('base64url');

describe('jwt strategy with OIDC discovery (OIDC_ISSUER)', () => {
  let idp: FakeIdentityProvider;
  let service: TestApp;
  const tokens: string[] = [];
  const valid = (key: IdpKey = K1, extra: Record<string, unknown> = {}) => {
    const token = idp.sign(
      key,
      claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE, ...extra }),
    );
    tokens.push(token);
    return token;
  };

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start('/realms/demo');
    idp.keys = [K1, K2];
    service = await startWith({ OIDC_ISSUER: idp.issuer });
  });
  afterAll(async () => {
    await service?.close();
    await idp?.stop();
  });

  it('signs in a caller whose token a published key signed, fetching discovery and the JWKS once', async () => {
    for (const key of [K1, K2, K1]) {
      const response = await signIn(service, valid(key));
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(JSON.parse(userData)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
      });
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    }
    expect(idp.discoveryFetches).toBe(1);
    expect(idp.jwksFetches).toBe(1);
  });

  it('accepts aud as an array naming JWT_AUDIENCE among others', async () => {
    const response = await signIn(
      service,
      valid(K1, { aud: ['account', AUDIENCE] }),
    );
    expect(response.statusCode).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const forged = (): [string, () => string][] => [
    ['no token', () => ''],
    ['another issuer', () => valid(K1, { iss: `${idp.issuer}-other` })],
    ['another audience', () => valid(K1, { aud: 'someone-else' })],
    ['an audience array without ours', () => valid(K1, { aud: ['a', 'b'] })],
    ['no aud', () => valid(K1, { aud: undefined })],
    [
      'an expired token',
      () => valid(K1, { iat: now() - 7200, exp: now() - 3600 }),
    ],
    ['a token without exp', () => valid(K1, { exp: undefined })],
    [
      'a token signed by another key under a published kid',
      () =>
        idp.sign(
          STRANGER,
          claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE }),
        ),
    ],
    [
      'alg none with a published kid',
      () =>
        encodeJwt(
          { alg: 'none', kid: 'k1' },
          claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE }),
        ),
    ],
    [
      'HS256 keyed with the published key (key confusion)',
      () => {
        const header = Buffer.from(
          JSON.stringify({ alg: 'HS256', kid: 'k1' }),
        ).toString('base64url');
        const payload = Buffer.from(
          JSON.stringify(
            claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE }),
          ),
        ).toString('base64url');
        const secret = JSON.stringify(K1.jwk);
        const mac = createHmac('sha256', secret)
          .update(`${header}.${payload}`)
          .digest('base64url');
        return `${header}.${payload}.${mac}`;
      },
    ],
    [
      'PS256 when the JWK says alg RS256',
      () =>
        signJwt(
          'PS256',
          K1.privateKey,
          claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE }),
          { kid: 'k1' },
        ),
    ],
    [
      'no kid while the JWKS holds two keys',
      () =>
        signJwt(
          'RS256',
          K1.privateKey,
          claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE }),
        ),
    ],
    [
      'a kid that is not a string',
      () =>
        valid(K1).replace(
          /^[^.]+/,
          Buffer.from(JSON.stringify({ alg: 'RS256', kid: 7 })).toString(
            'base64url',
          ),
        ),
    ],
    [
      'a header that is not JSON',
      () => `bm90IGpzb24.${valid(K1).split('.').slice(1).join('.')}`,
    ],
  ];

  it.each(forged())('answers 403 for %s', async (_case, token) => {
    const response = await signIn(service, token());
    expectForbidden(response);
  });

  it('never fetches or trusts keys a token names itself (jku, x5u, jwk, x5c)', async () => {
    const attacker = await LocalHttpServer.start((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [STRANGER.jwk] }));
    });
    try {
      const claims = claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE });
      const headers = [
        { kid: 'k1', jku: `${attacker.origin}/jwks` },
        { kid: 'evil', jku: `${attacker.origin}/jwks` },
        { kid: 'k1', x5u: `${attacker.origin}/cert.pem` },
        { kid: 'evil', jwk: STRANGER.jwk },
        { jwk: STRANGER.jwk },
        { kid: 'evil', x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] },
      ];
      for (const header of headers) {
        const token = signJwt('RS256', STRANGER.privateKey, claims, header);
        expect((await signIn(service, token)).statusCode).toBe(403);
      }
      expect(attacker.received).toHaveLength(0);
    } finally {
      await attacker.stop();
    }
  });

  it('never verifies a token of another issuer, even one using the same kid', async () => {
    const otherIdp = await FakeIdentityProvider.start('/realms/other');
    try {
      otherIdp.keys = [STRANGER];
      const token = otherIdp.sign(
        STRANGER,
        claimsFor('alice', { iss: otherIdp.issuer, aud: AUDIENCE }),
      );
      expect((await signIn(service, token)).statusCode).toBe(403);
      // Its issuer's claim in a token signed by our IdP's key is refused too.
      expect(
        (await signIn(service, valid(K1, { iss: otherIdp.issuer }))).statusCode,
      ).toBe(403);
    } finally {
      await otherIdp.stop();
    }
  });

  it('caused no further discovery or JWKS fetches within the cooldown', () => {
    expect(idp.discoveryFetches).toBe(1);
    expect(idp.jwksFetches).toBe(1);
  });

  it('never writes a token into a log line', () => {
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) {
      for (const line of service.logs.lines) {
        expect(line).not.toContain(token.split('.')[2]);
      }
    }
  });
});

describe('jwt strategy with JWT_JWKS_URI: unknown kids and rotation', () => {
  let idp: FakeIdentityProvider;
  let service: TestApp | undefined;
  const claims = () => claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE });

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start('/');
  });
  beforeEach(() => {
    idp.server.received.length = 0;
    idp.keys = [K1];
    idp.mode = 'up';
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(() => idp?.stop());

  const start = (env: Record<string, string> = {}) =>
    startWith({
      JWT_JWKS_URI: idp.jwksUri,
      JWT_ISSUER: idp.issuer,
      ...env,
    });
  const withRandomKid = () =>
    signJwt('RS256', K1.privateKey, claims(), { kid: randomKid() });

  it('100 tokens with random unknown kids cost one JWKS fetch per cooldown', async () => {
    service = await start({ JWT_JWKS_COOLDOWN_MS: '60000' });
    const concurrent = await Promise.all(
      Array.from({ length: 100 }, () => signIn(service!, withRandomKid())),
    );
    expect(concurrent.map((response) => response.statusCode)).toEqual(
      Array(100).fill(403),
    );
    expect(idp.jwksFetches).toBe(1); // the first load, shared by all 100
    for (let i = 0; i < 100; i++) {
      expect((await signIn(service, withRandomKid())).statusCode).toBe(403);
    }
    expect(idp.jwksFetches).toBe(1);
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    expect(idp.jwksFetches).toBe(1);
    expect(idp.discoveryFetches).toBe(0); // JWT_JWKS_URI needs no discovery
  });

  it('allows one more fetch for unknown kids once the cooldown has passed', async () => {
    service = await start({ JWT_JWKS_COOLDOWN_MS: '300' });
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    expect(idp.jwksFetches).toBe(1);
    await sleep(400);
    await Promise.all(
      Array.from({ length: 100 }, () => signIn(service!, withRandomKid())),
    );
    expect(idp.jwksFetches).toBe(2);
  });

  it('picks up a rotated key without a restart, and stops accepting the retired one', async () => {
    service = await start({ JWT_JWKS_COOLDOWN_MS: '200' });
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    idp.keys = [K2];
    await sleep(300);
    expect((await signIn(service, idp.sign(K2, claims()))).statusCode).toBe(
      200,
    );
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      403,
    );
    expect(idp.jwksFetches).toBe(2);
  });

  it('refreshes the key set after JWT_JWKS_CACHE_TTL_MS, dropping keys the IdP withdrew', async () => {
    idp.keys = [K1, K2];
    service = await start({
      JWT_JWKS_CACHE_TTL_MS: '1000',
      JWT_JWKS_COOLDOWN_MS: '60000',
    });
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    idp.keys = [K2, K3];
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    expect(idp.jwksFetches).toBe(1);
    await sleep(1100);
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      403,
    );
    expect((await signIn(service, idp.sign(K3, claims()))).statusCode).toBe(
      200,
    );
    expect(idp.jwksFetches).toBe(2);
  });

  it('uses a lone key for tokens without kid', async () => {
    service = await start();
    const token = signJwt('RS256', K1.privateKey, claims());
    expect((await signIn(service, token)).statusCode).toBe(200);
  });

  it('skips unusable keys in the JWKS and says so in the log', async () => {
    const privateJwk = {
      ...K3.privateKey.export({ format: 'jwk' }),
      kid: 'leaked',
    };
    idp.keys = [
      K1,
      { ...K2, jwk: { kty: 'oct', k: 'c2VjcmV0', kid: 'k2' } },
      { ...K3, kid: 'leaked', jwk: privateJwk },
    ];
    service = await start();
    const hmac = signJwt('HS256', 'secret', claims(), { kid: 'k2' });
    expect((await signIn(service, hmac)).statusCode).toBe(403);
    const leaked = signJwt('RS256', K3.privateKey, claims(), { kid: 'leaked' });
    expect((await signIn(service, leaked)).statusCode).toBe(403);
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    const skipped = service.logs.lines.filter((line) =>
      line.includes('skipped'),
    );
    expect(skipped.join('\n')).toMatch(/symmetric key is never accepted/);
    expect(skipped.join('\n')).toMatch(/publishes private key material/);
  });

  it('narrows each key to JWT_ALGORITHMS when set', async () => {
    const noAlg = idpKey('plain', 'rsa', { use: 'sig' });
    idp.keys = [noAlg];
    service = await start({ JWT_ALGORITHMS: 'PS256' });
    const ps = signJwt('PS256', noAlg.privateKey, claims(), { kid: 'plain' });
    const rs = signJwt('RS256', noAlg.privateKey, claims(), { kid: 'plain' });
    expect((await signIn(service, ps)).statusCode).toBe(200);
    expect((await signIn(service, rs)).statusCode).toBe(403);
  });

  it.each([
    ['ES256 (P-256)', idpKey('ec', 'ec', { use: 'sig' })],
    ['EdDSA (Ed25519)', idpKey('ed', 'ed25519', {})],
  ])('verifies %s keys from the JWKS', async (_name, key) => {
    idp.keys = [key];
    service = await start();
    expect((await signIn(service, idp.sign(key, claims()))).statusCode).toBe(
      200,
    );
  });
});

describe('jwt strategy when the identity provider fails', () => {
  let idp: FakeIdentityProvider;
  let service: TestApp | undefined;
  const claims = () => claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE });

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start('/realms/demo');
  });
  beforeEach(() => {
    idp.keys = [K1];
    idp.mode = 'up';
    idp.announcedIssuer = undefined;
    idp.announcedJwksUri = undefined;
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(() => idp?.stop());

  const expectUnavailable = (response: {
    statusCode: number;
    headers: Record<string, unknown>;
    json(): unknown;
  }) => {
    expect(response.statusCode).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.json()).toEqual({
      statusCode: 503,
      message: 'Service Unavailable',
      error: 'Service Unavailable',
    });
  };

  it('answers 503 with Retry-After when the IdP is unreachable, naming it in the log', async () => {
    const port = await closedPort();
    service = await startWith({
      JWT_JWKS_URI: `http://127.0.0.1:${port}/jwks`,
      JWT_ISSUER: idp.issuer,
    });
    const token = idp.sign(K1, claims());
    expectUnavailable(await signIn(service, token));
    const line = service.logs.lines.find((l) => l.includes('unavailable'));
    expect(line).toContain(`jwt (http://127.0.0.1:${port}/jwks)`);
    expect(line).toMatch(/ECONNREFUSED/);
    expect(service.logs.lines.join('\n')).not.toContain(token.split('.')[2]);
  });

  it('answers 503 when the IdP does not answer within JWT_JWKS_TIMEOUT_MS', async () => {
    idp.mode = 'slow';
    service = await startWith({
      OIDC_ISSUER: idp.issuer,
      JWT_JWKS_TIMEOUT_MS: '300',
    });
    expectUnavailable(await signIn(service, idp.sign(K1, claims())));
    expect(service.logs.lines.join('\n')).toMatch(/no answer within 300 ms/);
  });

  it('answers 503 when the IdP answers 5xx', async () => {
    idp.mode = 'error';
    service = await startWith({ OIDC_ISSUER: idp.issuer });
    expectUnavailable(await signIn(service, idp.sign(K1, claims())));
    expect(service.logs.lines.join('\n')).toMatch(/answered 500/);
  });

  it('answers 503 when discovery names another issuer than OIDC_ISSUER', async () => {
    idp.announcedIssuer = 'https://impostor.example.com/';
    service = await startWith({ OIDC_ISSUER: idp.issuer });
    expectUnavailable(await signIn(service, idp.sign(K1, claims())));
    expect(idp.jwksFetches).toBe(0);
  });

  it('answers 503 when discovery names a jwks_uri on another origin, and never fetches it', async () => {
    const elsewhere = await FakeIdentityProvider.start('/realms/demo');
    try {
      elsewhere.keys = [K1];
      idp.announcedJwksUri = elsewhere.jwksUri;
      service = await startWith({ OIDC_ISSUER: idp.issuer });
      expectUnavailable(await signIn(service, idp.sign(K1, claims())));
      expect(elsewhere.jwksFetches).toBe(0);
      expect(service.logs.lines.join('\n')).toContain(
        'jwks_uri on another origin than OIDC_ISSUER',
      );
    } finally {
      await elsewhere.stop();
    }
  });

  it('keeps verifying with cached keys while the IdP is down; a kid it has not seen gets 503', async () => {
    service = await startWith({
      OIDC_ISSUER: idp.issuer,
      JWT_JWKS_COOLDOWN_MS: '100',
    });
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    idp.mode = 'error';
    await sleep(150);
    expect((await signIn(service, idp.sign(K1, claims()))).statusCode).toBe(
      200,
    );
    expectUnavailable(await signIn(service, idp.sign(K2, claims())));
    // Within the cooldown no new fetch is made, and the answer stays 503.
    const fetches = idp.jwksFetches;
    expectUnavailable(await signIn(service, idp.sign(K2, claims())));
    expect(idp.jwksFetches).toBe(fetches);
  });
});
