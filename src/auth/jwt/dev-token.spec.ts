import { createHmac, generateKeyPairSync } from 'node:crypto';
import { DEMO_JWT_SECRET } from '../../config/demo-mode';
import { loadServiceConfig } from '../../extensions/service-config';
import { createKeyVerifier } from './key-verifier';
import { devTokenRefusal, jwtSettingsOf, mintDevToken } from './dev-token';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';
const PUSHER_APP = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
};
const CONFIGURED = { ...PUSHER_APP, JWT_SECRET: SECRET };
const NOW_MS = Date.UTC(2026, 0, 5, 9, 30);

/** The token's parts, its HMAC recomputed with node:crypto (not the library that signed it). */
function decode(token: string, secret: string) {
  const [header, payload, signature] = token.split('.');
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
    alg: string;
  };
  const expected = createHmac(`sha${alg.slice(2)}`, secret)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return {
    alg,
    signedCorrectly: signature === expected,
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >,
  };
}

describe('devTokenRefusal', () => {
  it('allows the demo secret and a configured JWT_SECRET outside production', () => {
    expect(devTokenRefusal(loadServiceConfig({}))).toBeUndefined();
    expect(devTokenRefusal(loadServiceConfig(CONFIGURED))).toBeUndefined();
  });

  it('refuses in production, even with a secret it could use', () => {
    expect(
      devTokenRefusal(
        loadServiceConfig({ ...CONFIGURED, NODE_ENV: 'production' }),
      ),
    ).toMatch(/not minted with NODE_ENV=production/);
  });

  it('refuses a public key: the private half is never here', () => {
    const publicPem = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(
      devTokenRefusal(
        loadServiceConfig({ ...PUSHER_APP, JWT_PUBLIC_KEY: publicPem }),
      ),
    ).toMatch(/JWT_PUBLIC_KEY is set/);
  });

  it('refuses remote keys', () => {
    expect(
      devTokenRefusal(
        loadServiceConfig({
          ...PUSHER_APP,
          OIDC_ISSUER: 'https://login.example.com',
          JWT_AUDIENCE: 'app',
        }),
      ),
    ).toMatch(/remote/);
  });
});

describe('mintDevToken', () => {
  it('signs the demo user with the public demo secret', () => {
    const jwt = jwtSettingsOf(loadServiceConfig({}))!;
    const token = decode(
      mintDevToken(jwt, 'bob', 3600, NOW_MS),
      DEMO_JWT_SECRET,
    );
    expect(token.signedCorrectly).toBe(true);
    expect(token.alg).toBe('HS256');
    const iat = NOW_MS / 1000;
    expect(token.claims).toEqual({ sub: 'bob', iat, exp: iat + 3600 });
  });

  it('carries the issuer, audience, claims and algorithm the service requires', () => {
    const jwt = jwtSettingsOf(
      loadServiceConfig({
        ...CONFIGURED,
        JWT_ALGORITHMS: 'HS512',
        JWT_ISSUER: 'https://api.example.com',
        JWT_AUDIENCE: 'pusher-auth,other',
        JWT_AUDIENCE_CLAIM: 'client_id',
        JWT_USER_ID_CLAIM: 'uid',
      }),
    )!;
    const minted = mintDevToken(jwt, 'carol', 90, NOW_MS);
    const token = decode(minted, SECRET);
    expect(token.signedCorrectly).toBe(true);
    expect(token.alg).toBe('HS512');
    expect(token.claims).toMatchObject({
      uid: 'carol',
      iss: 'https://api.example.com',
      client_id: 'pusher-auth',
      exp: NOW_MS / 1000 + 90,
    });
    // And the service's own verifier, at the minted moment, accepts it.
    const verify = createKeyVerifier(jwt, SECRET, jwt.keys.algorithms);
    vi.useFakeTimers({ now: NOW_MS });
    try {
      expect(verify(minted)).toMatchObject({ uid: 'carol' });
    } finally {
      vi.useRealTimers();
    }
  });
});
