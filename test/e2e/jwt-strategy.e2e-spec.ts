import { createHmac } from 'node:crypto';
import { claimsFor, encodeJwt, signJwt, SigningKey } from '../helpers/jwt';
import { ecKeyPair, ed25519KeyPair, rsaKeyPair } from '../helpers/keys';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const FORM = 'application/x-www-form-urlencoded';
const rsa = rsaKeyPair();
const ec = ecKeyPair();
const ed = ed25519KeyPair();

interface KeyVariant {
  alg: string;
  env: Record<string, string>;
  signingKey: SigningKey;
  otherKey: SigningKey;
}

const VARIANTS: [string, KeyVariant][] = [
  [
    'HS256 with JWT_SECRET',
    {
      alg: 'HS256',
      env: { JWT_SECRET: TEST_JWT_SECRET },
      signingKey: TEST_JWT_SECRET,
      otherKey: `${TEST_JWT_SECRET}-other`,
    },
  ],
  [
    'RS256 with an RSA JWT_PUBLIC_KEY',
    {
      alg: 'RS256',
      env: { JWT_PUBLIC_KEY: rsa.publicPem, JWT_SECRET: '' },
      signingKey: rsa.privateKey,
      otherKey: rsaKeyPair().privateKey,
    },
  ],
  [
    'PS256 with an RSA JWT_PUBLIC_KEY',
    {
      alg: 'PS256',
      env: { JWT_PUBLIC_KEY: rsa.publicPem, JWT_SECRET: '' },
      signingKey: rsa.privateKey,
      otherKey: rsaKeyPair().privateKey,
    },
  ],
  [
    'ES256 with a P-256 JWT_PUBLIC_KEY',
    {
      alg: 'ES256',
      env: { JWT_PUBLIC_KEY: ec.publicPem, JWT_SECRET: '' },
      signingKey: ec.privateKey,
      otherKey: ecKeyPair().privateKey,
    },
  ],
  [
    'EdDSA with an Ed25519 JWT_PUBLIC_KEY',
    {
      alg: 'EdDSA',
      env: { JWT_PUBLIC_KEY: ed.publicPem, JWT_SECRET: '' },
      signingKey: ed.privateKey,
      otherKey: ed25519KeyPair().privateKey,
    },
  ],
];

async function startWithUsers(env: Record<string, string>): Promise<TestApp> {
  const service = await startTestApp({
    DIRECTORY_URL: 'sqlite://:memory:',
    ...env,
  });
  await service.seed(
    { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
    { id: '42', userInfo: null, watchlist: [] },
  );
  return service;
}

function signInWith(
  service: TestApp,
  authorization?: string,
  body = 'socket_id=1.2',
) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    headers: {
      'content-type': FORM,
      ...(authorization ? { authorization } : {}),
    },
    payload: body,
  });
}

const now = () => Math.floor(Date.now() / 1000);

describe.each(VARIANTS)('jwt strategy: %s', (_name, variant) => {
  let service: TestApp;
  const usedTokens: string[] = [];
  const bearer = (token: string) => {
    usedTokens.push(token);
    return `Bearer ${token}`;
  };
  const sign = (
    payload: Record<string, unknown>,
    key = variant.signingKey,
    alg = variant.alg,
  ) => signJwt(alg, key, payload);

  beforeAll(async () => {
    service = await startWithUsers(variant.env);
  });
  afterAll(() => service?.close());

  it('signs in the caller a valid token names', async () => {
    const response = await signInWith(
      service,
      bearer(sign(claimsFor('alice'))),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.json().user_data).id).toBe('alice');
  });

  const expired = () =>
    claimsFor('alice', { iat: now() - 7200, exp: now() - 3600 });
  const notYetValid = () => claimsFor('alice', { nbf: now() + 3600 });
  const withoutExp = () => ({ sub: 'alice', iat: now() });

  it.each([
    ['no Authorization header', () => undefined],
    ['a Basic scheme', () => 'Basic YWxpY2U6cGFzcw=='],
    ['a garbage token', () => 'Bearer not-a-token'],
    ['a malformed three-part token', () => 'Bearer a.b.c'],
    ['an empty bearer', () => 'Bearer '],
    [
      'alg none',
      () => bearer(encodeJwt({ alg: 'none', typ: 'JWT' }, claimsFor('alice'))),
    ],
    [
      'alg none with a signature',
      () => bearer(encodeJwt({ alg: 'none' }, claimsFor('alice'), 'c2ln')),
    ],
    ['an expired token', () => bearer(sign(expired()))],
    ['a not-yet-valid token', () => bearer(sign(notYetValid()))],
    ['a token without exp', () => bearer(sign(withoutExp()))],
    [
      'a token signed with another key',
      () => bearer(sign(claimsFor('alice'), variant.otherKey)),
    ],
    [
      'a token whose payload was changed after signing',
      () => {
        const [header, , signature] = sign(claimsFor('alice')).split('.');
        const forged = Buffer.from(JSON.stringify(claimsFor('bob'))).toString(
          'base64url',
        );
        return bearer(`${header}.${forged}.${signature}`);
      },
    ],
    ['a token without a sub', () => bearer(sign({ exp: now() + 60 }))],
  ])('answers 403 for %s', async (_case, authorization) => {
    const response = await signInWith(service, authorization());
    expectForbidden(response);
  });

  if (variant.env.JWT_PUBLIC_KEY) {
    it('answers 403 for HS256 signed with the public key PEM (key confusion)', async () => {
      const header = Buffer.from(
        JSON.stringify({ alg: 'HS256', typ: 'JWT' }),
      ).toString('base64url');
      const payload = Buffer.from(JSON.stringify(claimsFor('alice'))).toString(
        'base64url',
      );
      const mac = createHmac('sha256', variant.env.JWT_PUBLIC_KEY)
        .update(`${header}.${payload}`)
        .digest('base64url');
      const response = await signInWith(
        service,
        bearer(`${header}.${payload}.${mac}`),
      );
      expect(response.statusCode).toBe(403);
    });
  }

  it('never writes a token into a log line', () => {
    expect(usedTokens.length).toBeGreaterThan(5);
    for (const token of usedTokens) {
      for (const line of service.logs.lines)
        expect(line).not.toContain(token.split('.')[2] || token);
    }
  });
});

describe('jwt strategy options', () => {
  let service: TestApp | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  const hs = (payload: Record<string, unknown>) =>
    `Bearer ${signJwt('HS256', TEST_JWT_SECRET, payload)}`;

  it('enforces JWT_ISSUER and JWT_AUDIENCE, accepting aud as a string or an array', async () => {
    service = await startWithUsers({
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'pusher-auth,other-api',
    });
    const good = { iss: 'https://idp.example.com/' };
    const cases: [Record<string, unknown>, number][] = [
      [{ ...good, aud: 'pusher-auth' }, 200],
      [{ ...good, aud: ['unrelated', 'other-api'] }, 200],
      [{ ...good, aud: 'someone-else' }, 403],
      [{ ...good }, 403],
      [{ iss: 'https://evil.example.com/', aud: 'pusher-auth' }, 403],
      [{ aud: 'pusher-auth' }, 403],
    ];
    for (const [claims, status] of cases) {
      const response = await signInWith(
        service,
        hs(claimsFor('alice', claims)),
      );
      expect({ claims, status: response.statusCode }).toEqual({
        claims,
        status,
      });
    }
  });

  it('allows JWT_CLOCK_TOLERANCE_S of leeway on exp, and no more', async () => {
    const expiredTenSecondsAgo = claimsFor('alice', { exp: now() - 10 });
    service = await startWithUsers({});
    expect(
      (await signInWith(service, hs(expiredTenSecondsAgo))).statusCode,
    ).toBe(200);
    await service.close();
    service = await startWithUsers({ JWT_CLOCK_TOLERANCE_S: '0' });
    expect(
      (await signInWith(service, hs(expiredTenSecondsAgo))).statusCode,
    ).toBe(403);
  });

  it('reads the user id from JWT_USER_ID_CLAIM, turning an integer id into a string', async () => {
    service = await startWithUsers({ JWT_USER_ID_CLAIM: 'uid' });
    const response = await signInWith(
      service,
      hs(claimsFor('ignored', { uid: 42 })),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.json().user_data)).toEqual({ id: '42' });
  });

  it('refuses a token whose algorithm is outside JWT_ALGORITHMS', async () => {
    service = await startWithUsers({
      JWT_PUBLIC_KEY: rsa.publicPem,
      JWT_SECRET: '',
      JWT_ALGORITHMS: 'RS256',
    });
    const claims = claimsFor('alice');
    expect(
      (
        await signInWith(
          service,
          `Bearer ${signJwt('RS256', rsa.privateKey, claims)}`,
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await signInWith(
          service,
          `Bearer ${signJwt('PS256', rsa.privateKey, claims)}`,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await signInWith(
          service,
          `Bearer ${signJwt('RS512', rsa.privateKey, claims)}`,
        )
      ).statusCode,
    ).toBe(403);
  });

  it('takes the token from the JWT_QUERY_PARAM body parameter only when configured', async () => {
    const token = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    service = await startWithUsers({});
    expect(
      (await signInWith(service, undefined, `socket_id=1.2&token=${token}`))
        .statusCode,
    ).toBe(403);
    await service.close();
    service = await startWithUsers({ JWT_QUERY_PARAM: 'token' });
    expect(
      (await signInWith(service, undefined, `socket_id=1.2&token=${token}`))
        .statusCode,
    ).toBe(200);
  });
});
