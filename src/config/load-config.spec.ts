import { generateKeyPairSync } from 'node:crypto';
import { jwtSettingsOf } from '../auth/jwt/dev-token';
import { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import {
  DEMO_ENCRYPTION_MASTER_KEY_BASE64,
  DEMO_JWT_SECRET,
  EXAMPLE_JWT_SECRET,
} from './demo-mode';
import { loadServiceConfig } from '../extensions/service-config';
import { SHIPPED_STRATEGIES } from '../auth/strategy-registry';

/** The strategies a name may be, as the registry lists them (no copy of the list here). */
const KNOWN = SHIPPED_STRATEGIES.map((strategy) => strategy.name).join(', ');

const SECRET = 'x'.repeat(32);
const BASE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: SECRET,
};

const pem = (keys: { publicKey: { export(o: object): string | Buffer } }) =>
  keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const rsaPem = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }));

const jwtOf = (config: AppConfig) => jwtSettingsOf(config);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadServiceConfig(BASE);
    expect(config.http).toEqual({
      port: 3000,
      host: '0.0.0.0',
      userAuthPath: '/pusher/user-auth',
      channelAuthPath: '/pusher/auth',
      corsOrigins: [],
      jsonpEnabled: false,
      trustProxy: false,
      requestTimeoutMs: 10000,
      maxConnections: 10000,
    });
    expect(config.strategies.map(({ definition }) => definition.name)).toEqual([
      'jwt',
    ]);
    expect(jwtOf(config)).toMatchObject({
      keys: { source: 'static', algorithms: ['HS256', 'HS384', 'HS512'] },
      clockToleranceS: 30,
      userIdClaim: 'sub',
      audience: [],
    });
    expect(config.directory).toEqual({
      url: 'sqlite://./data/directory.db',
      unknownUsers: 'deny',
      cacheTtlMs: 30000,
      cacheMaxUsers: 50000,
      staleIfErrorMs: 0,
      terminateOnRemove: false,
      terminateOnRevoke: false,
    });
    expect(config.userRules).toEqual({
      watchlistMax: 100,
      userInfoMaxBytes: 1024,
    });
    expect(config.demo.enabled).toBe(false);
    expect(config.rateLimit).toEqual({
      perIpPerMinute: 600,
      perUserPerMinute: 120,
      redisUrl: undefined,
      redisKeyPrefix: 'pusher-auth:',
      maxKeys: 100000,
      redisBreakerCooldownMs: 5000,
    });
    expect(config.shutdown).toEqual({ delayMs: 0, timeoutMs: 10000 });
  });

  describe('operations settings', () => {
    it('reads rate limits, Redis and shutdown timings', () => {
      const config = loadServiceConfig({
        ...BASE,
        RATE_LIMIT_PER_IP: '0',
        RATE_LIMIT_PER_USER: '30',
        REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
        REDIS_KEY_PREFIX: 'auth-eu:',
        REDIS_BREAKER_COOLDOWN_MS: '2000',
        RATE_LIMIT_MAX_KEYS: '5000',
        SHUTDOWN_DELAY_MS: '5000',
        SHUTDOWN_TIMEOUT_MS: '20000',
        HTTP_REQUEST_TIMEOUT_MS: '30000',
      });
      expect(config.rateLimit).toEqual({
        perIpPerMinute: 0,
        perUserPerMinute: 30,
        redisUrl: 'rediss://:pw@redis.internal:6380/2',
        redisKeyPrefix: 'auth-eu:',
        maxKeys: 5000,
        redisBreakerCooldownMs: 2000,
      });
      expect(config.shutdown).toEqual({ delayMs: 5000, timeoutMs: 20000 });
      expect(config.http.requestTimeoutMs).toBe(30000);
    });

    it.each([
      ['true', true],
      ['false', false],
      ['2', 2],
      ['1', 1],
      ['0', false],
      ['10.0.0.0/8, 192.168.1.10', ['10.0.0.0/8', '192.168.1.10']],
      ['fd00::/8', ['fd00::/8']],
    ])('reads TRUST_PROXY=%s', (value, expected) => {
      expect(
        loadServiceConfig({ ...BASE, TRUST_PROXY: value }).http.trustProxy,
      ).toEqual(expected);
    });

    it('names each bad operations setting', () => {
      expect(
        problemsOf({
          ...BASE,
          RATE_LIMIT_PER_IP: '-1',
          REDIS_URL: 'http://redis',
          RATE_LIMIT_MAX_KEYS: '10',
          REDIS_BREAKER_COOLDOWN_MS: '0',
          REDIS_KEY_PREFIX: 'has space',
          HTTP_REQUEST_TIMEOUT_MS: '0',
          SHUTDOWN_TIMEOUT_MS: '10',
        }),
      ).toEqual([
        'RATE_LIMIT_PER_IP: must be an integer from 0 to 1000000',
        'REDIS_URL: must start with redis:// or rediss://',
        'RATE_LIMIT_MAX_KEYS: must be an integer from 100 to 1000000',
        'REDIS_BREAKER_COOLDOWN_MS: must be an integer from 100 to 600000',
        'REDIS_KEY_PREFIX: must be 1-64 characters of A-Z a-z 0-9 _ - . : { }',
        'HTTP_REQUEST_TIMEOUT_MS: must be an integer from 100 to 300000',
        'SHUTDOWN_TIMEOUT_MS: must be an integer from 100 to 300000',
      ]);
      expect(problemsOf({ ...BASE, TRUST_PROXY: '10.0.0.0/33' })).toEqual([
        'TRUST_PROXY must be true, false, a hop count, or comma-separated proxy addresses/CIDR ranges',
      ]);
    });
  });

  describe('demo mode', () => {
    it('starts with demo credentials when nothing is configured outside production', () => {
      const config = loadServiceConfig({});
      expect(config.demo.enabled).toBe(true);
      expect(config.pusher).toMatchObject({
        appId: 'app-id',
        key: 'app-key',
        secret: 'app-secret',
      });
      expect(jwtOf(config)?.keys).toMatchObject({
        source: 'static',
        kind: 'secret',
        material: DEMO_JWT_SECRET,
      });
      // So that the demo shows private-encrypted- channels working too.
      expect(config.pusher.encryptionMasterKeyBase64).toBe(
        DEMO_ENCRYPTION_MASTER_KEY_BASE64,
      );
    });

    it('is never entered in production', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual(
        expect.arrayContaining([
          'PUSHER_APP_ID is required',
          'PUSHER_SECRET is required',
        ]),
      );
    });

    it('is not entered once any real setting is given: the rest must be complete', () => {
      expect(problemsOf({ PUSHER_APP_ID: '1' })).toEqual([
        'PUSHER_KEY is required',
        'PUSHER_SECRET is required',
        'the jwt strategy needs a key: set JWT_SECRET (HS*), JWT_PUBLIC_KEY (PEM), or JWT_JWKS_URI / OIDC_ISSUER (remote keys)',
      ]);
    });

    it('refuses the public demo secrets in production', () => {
      const problems = problemsOf({
        ...BASE,
        NODE_ENV: 'production',
        PUSHER_SECRET: 'app-secret',
        JWT_SECRET: DEMO_JWT_SECRET,
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: DEMO_ENCRYPTION_MASTER_KEY_BASE64,
      });
      expect(problems).toEqual([
        "PUSHER_SECRET is a well-known default: use your app's real secret",
        'PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is the public demo key: generate your own',
        'JWT_SECRET is the public demo secret: generate your own',
      ]);
    });
  });

  it("refuses .env.example's development secret in production", () => {
    expect(
      problemsOf({
        ...BASE,
        NODE_ENV: 'production',
        JWT_SECRET: EXAMPLE_JWT_SECRET,
      }),
    ).toEqual([
      'JWT_SECRET is the development secret from .env.example: use your own',
    ]);
    expect(
      jwtOf(loadServiceConfig({ ...BASE, JWT_SECRET: EXAMPLE_JWT_SECRET }))
        ?.keys,
    ).toMatchObject({ source: 'static', kind: 'secret' });
  });

  describe('jwt keys and algorithms', () => {
    it('refuses a JWT_SECRET shorter than 32 bytes', () => {
      expect(problemsOf({ ...BASE, JWT_SECRET: 'x'.repeat(31) })).toEqual([
        'JWT_SECRET must be at least 32 bytes long',
      ]);
    });

    it('refuses a PEM given as JWT_SECRET (key confusion)', () => {
      expect(problemsOf({ ...BASE, JWT_SECRET: rsaPem })).toEqual([
        'JWT_SECRET holds a PEM key: put public keys in JWT_PUBLIC_KEY',
      ]);
    });

    it('refuses both key sources at once', () => {
      expect(problemsOf({ ...BASE, JWT_PUBLIC_KEY: rsaPem })[0]).toMatch(
        /both set/,
      );
    });

    it.each([
      ['RSA', rsaPem, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
      [
        'P-256',
        pem(generateKeyPairSync('ec', { namedCurve: 'P-256' })),
        ['ES256'],
      ],
      [
        'P-384',
        pem(generateKeyPairSync('ec', { namedCurve: 'P-384' })),
        ['ES384'],
      ],
      ['Ed25519', pem(generateKeyPairSync('ed25519')), ['EdDSA']],
    ])(
      'defaults the allowlist from a %s public key',
      (_type, publicPem, algorithms) => {
        const config = loadServiceConfig({
          ...BASE,
          JWT_SECRET: '',
          JWT_PUBLIC_KEY: publicPem,
        });
        expect(jwtOf(config)?.keys).toMatchObject({
          kind: 'public',
          algorithms,
        });
      },
    );

    it('accepts a PEM written on one line with \\n escapes', () => {
      const oneLine = rsaPem.trim().replace(/\n/g, '\\n');
      const config = loadServiceConfig({
        ...BASE,
        JWT_SECRET: '',
        JWT_PUBLIC_KEY: oneLine,
      });
      expect(jwtOf(config)?.keys).toMatchObject({ kind: 'public' });
    });

    it('never allows HS* with a public key, nor none, nor unknown names', () => {
      expect(
        problemsOf({
          ...BASE,
          JWT_SECRET: '',
          JWT_PUBLIC_KEY: rsaPem,
          JWT_ALGORITHMS: 'RS256,HS256,none,XS1',
        }),
      ).toEqual([
        'JWT_ALGORITHMS: HS256 cannot be used with the key in JWT_PUBLIC_KEY (allowed: RS256, RS384, RS512, PS256, PS384, PS512)',
        'JWT_ALGORITHMS: "none" is never allowed',
        'JWT_ALGORITHMS: unknown algorithm XS1',
      ]);
    });

    it('never allows RS* with a secret', () => {
      expect(problemsOf({ ...BASE, JWT_ALGORITHMS: 'RS256' })[0]).toMatch(
        /RS256 cannot be used/,
      );
    });

    it('refuses private keys, short RSA keys and unreadable PEMs', () => {
      const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const privatePem = rsa1024.privateKey
        .export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const noSecret = { ...BASE, JWT_SECRET: '' };
      expect(
        problemsOf({ ...noSecret, JWT_PUBLIC_KEY: privatePem })[0],
      ).toMatch(/private key/);
      expect(
        problemsOf({ ...noSecret, JWT_PUBLIC_KEY: pem(rsa1024) })[0],
      ).toMatch(/2048 bits/);
      expect(
        problemsOf({ ...noSecret, JWT_PUBLIC_KEY: 'not a pem' })[0],
      ).toMatch(/not a readable PEM/);
    });

    it('reads issuer, audiences, tolerance, claim and query parameter', () => {
      const config = loadServiceConfig({
        ...BASE,
        JWT_ISSUER: 'https://idp/',
        JWT_AUDIENCE: 'a, b',
        JWT_CLOCK_TOLERANCE_S: '5',
        JWT_USER_ID_CLAIM: 'uid',
        JWT_QUERY_PARAM: 'token',
      });
      expect(jwtOf(config)).toMatchObject({
        keys: { issuer: 'https://idp/' },
        audience: ['a', 'b'],
        clockToleranceS: 5,
        userIdClaim: 'uid',
        queryParam: 'token',
      });
    });
  });

  it('lists every problem at once, naming each variable, the strategies’ too', () => {
    const problems = problemsOf({
      ...BASE,
      PORT: 'eighty',
      JSONP_ENABLED: 'maybe',
      DIRECTORY_UNKNOWN_USERS: 'allow',
      PUSHER_USER_AUTH_PATH: 'no-slash',
      AUTH_STRATEGIES: 'jwt,saml',
      JWT_CLOCK_TOLERANCE_S: 'soon',
    });
    expect(problems).toEqual([
      'PORT: must be an integer from 0 to 65535',
      'PUSHER_USER_AUTH_PATH: must be a URL path starting with /',
      'DIRECTORY_UNKNOWN_USERS: must be deny or claims',
      'JSONP_ENABLED: must be true or false',
      `AUTH_STRATEGIES: unknown strategy "saml" (known: ${KNOWN})`,
      'JWT_CLOCK_TOLERANCE_S: must be an integer from 0 to 3600',
    ]);
  });

  it('reads no JWT_* variable when the jwt strategy is not enabled', () => {
    const config = loadServiceConfig({
      ...BASE,
      AUTH_STRATEGIES: 'signed-header',
      SIGNED_HEADER_SECRET: 'y'.repeat(32),
      JWT_CLOCK_TOLERANCE_S: 'soon',
    });
    expect(jwtOf(config)).toBeUndefined();
  });

  it.each([
    [
      { AUTH_STRATEGIES: 'jwt,saml' },
      `unknown strategy "saml" (known: ${KNOWN})`,
    ],
    [{ AUTH_STRATEGIES: 'jwt,jwt' }, /listed twice/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS: "\*" is not an exact origin/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /not an exact origin/],
    [{ CORS_ORIGINS: 'null' }, /not an exact origin/],
    [{ CORS_ORIGINS: 'https://*.example.com' }, /not an exact origin/],
    [{ DIRECTORY_URL: 'mysql://db' }, /DIRECTORY_URL must start with/],
    [{ PUSHER_CLUSTER: 'eu', PUSHER_HOST: 'soketi' }, /not both/],
    [
      {
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64:
          Buffer.alloc(16).toString('base64'),
      },
      /32 bytes/,
    ],
  ])('refuses %j', (env, problem) => {
    expect(
      problemsOf({ ...BASE, ...(env as Record<string, string>) }).join('\n'),
    ).toMatch(problem);
  });

  it('refuses an in-memory directory in production only', () => {
    expect(
      loadServiceConfig({ ...BASE, DIRECTORY_URL: 'sqlite://:memory:' })
        .directory.url,
    ).toBe('sqlite://:memory:');
    expect(
      problemsOf({
        ...BASE,
        NODE_ENV: 'production',
        DIRECTORY_URL: 'sqlite://:memory:',
      }).join(),
    ).toMatch(/in-memory directory/);
  });
});
