import {
  buildForwardAuthSettings,
  ForwardAuthVariables,
} from '../auth/forward-auth/forward-auth.settings';
import {
  buildIntrospectionSettings,
  IntrospectionVariables,
} from '../auth/introspection/introspection.settings';
import { jwtSettingsOf } from '../auth/jwt/dev-token';
import type { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { loadServiceConfig } from '../extensions/service-config';

const BASE = { PUSHER_APP_ID: '1', PUSHER_KEY: 'key', PUSHER_SECRET: 'secret' };
const IDP = 'https://login.example.com/realms/demo';

const jwtOf = (env: Record<string, string>) =>
  jwtSettingsOf(loadServiceConfig({ ...BASE, ...env }));

/** An enabled strategy's validated variables and what it reads them with. */
const sectionOf = (config: AppConfig, name: string) =>
  config.strategies.find(({ definition }) => definition.name === name);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('jwt remote keys settings', () => {
  it('discovers from OIDC_ISSUER, which becomes the enforced issuer', () => {
    const jwt = jwtOf({ OIDC_ISSUER: IDP, JWT_AUDIENCE: 'pusher-auth' });
    expect(jwt?.keys).toEqual({
      source: 'remote',
      jwksUri: undefined,
      issuer: IDP,
      algorithms: [], // each JWK's own alg / kty decides
      timeoutMs: 5000,
      cacheTtlMs: 600000,
      cooldownMs: 30000,
    });
  });

  it('reads JWT_JWKS_URI with JWT_ISSUER, the timings and the audience claim', () => {
    const jwt = jwtOf({
      JWT_JWKS_URI: `${IDP}/protocol/openid-connect/certs`,
      JWT_ISSUER: IDP,
      JWT_AUDIENCE: 'client-a',
      JWT_AUDIENCE_CLAIM: 'client_id',
      JWT_ALGORITHMS: 'RS256,ES256',
      JWT_JWKS_TIMEOUT_MS: '800',
      JWT_JWKS_CACHE_TTL_MS: '60000',
      JWT_JWKS_COOLDOWN_MS: '5000',
    });
    expect(jwt).toMatchObject({
      audience: ['client-a'],
      audienceClaim: 'client_id',
      keys: {
        source: 'remote',
        issuer: IDP,
        algorithms: ['RS256', 'ES256'],
        jwksUri: `${IDP}/protocol/openid-connect/certs`,
        timeoutMs: 800,
        cacheTtlMs: 60000,
        cooldownMs: 5000,
      },
    });
  });

  it('turns demo mode off: an IdP setting means real configuration', () => {
    expect(
      problemsOf({ PUSHER_APP_ID: '', OIDC_ISSUER: IDP, JWT_AUDIENCE: 'a' }),
    ).toContain('PUSHER_APP_ID is required');
  });

  it('lists every remote-key problem at once', () => {
    expect(
      problemsOf({
        JWT_SECRET: 'x'.repeat(32),
        JWT_JWKS_URI: `${IDP}/certs`,
        OIDC_ISSUER: IDP,
        JWT_ISSUER: 'https://elsewhere.example.com/',
        JWT_ALGORITHMS: 'HS256,none,RS256',
      }),
    ).toEqual([
      'JWT_JWKS_URI/OIDC_ISSUER and JWT_SECRET/JWT_PUBLIC_KEY are both set: configure one key source for the jwt strategy',
      'set JWT_JWKS_URI (with JWT_ISSUER) or OIDC_ISSUER (discovery), not both',
      'JWT_ISSUER differs from OIDC_ISSUER: leave JWT_ISSUER unset, OIDC_ISSUER is the issuer enforced',
      'JWT_AUDIENCE is required with remote keys: an identity provider signs tokens for many applications',
      'JWT_ALGORITHMS: HS256 is never used with remote keys (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)',
      'JWT_ALGORITHMS: "none" is never allowed',
    ]);
  });

  it('requires an issuer with JWT_JWKS_URI', () => {
    expect(
      problemsOf({ JWT_JWKS_URI: `${IDP}/certs`, JWT_AUDIENCE: 'a' }),
    ).toEqual([
      'JWT_ISSUER is required with JWT_JWKS_URI: keys from a JWKS verify only tokens of their issuer',
    ]);
  });

  it.each([
    ['JWT_JWKS_URI', 'not a url', 'must be an http:// or https:// URL'],
    [
      'JWT_JWKS_URI',
      'file:///etc/keys.json',
      'must be an http:// or https:// URL',
    ],
    [
      'OIDC_ISSUER',
      'https://user:pw@idp.example.com/',
      'must not carry credentials',
    ],
    ['OIDC_ISSUER', 'https://idp.example.com/#x', 'must not have a #fragment'],
    ['JWT_JWKS_COOLDOWN_MS', '50', 'must be an integer from 100 to 3600000'],
    ['JWT_JWKS_TIMEOUT_MS', 'soon', 'must be an integer from 100 to 60000'],
  ])('refuses %s=%s without echoing it', (name, value, message) => {
    const problems = problemsOf({
      OIDC_ISSUER: IDP,
      JWT_AUDIENCE: 'a',
      [name]: value,
    }).join('\n');
    expect(problems).toContain(`${name}: ${message}`);
    expect(problems).not.toContain(value);
  });
});

describe('introspection settings', () => {
  const ENV = {
    JWT_SECRET: 'x'.repeat(32),
    AUTH_STRATEGIES: 'introspection',
    INTROSPECTION_URL: 'https://login.example.com/oauth2/introspect',
    INTROSPECTION_CLIENT_ID: 'pusher-auth',
    INTROSPECTION_CLIENT_SECRET: 's3cret',
  };

  it('applies the defaults', () => {
    const section = sectionOf(
      loadServiceConfig({ ...BASE, ...ENV }),
      'introspection',
    )!;
    const settings = buildIntrospectionSettings(
      section.settings as IntrospectionVariables,
      section.boot,
      [],
    );
    expect(settings).toEqual({
      url: ENV.INTROSPECTION_URL,
      clientId: 'pusher-auth',
      clientSecret: 's3cret',
      userIdField: 'sub',
      cacheTtlMs: 60000,
      negativeCacheTtlMs: 5000,
      timeoutMs: 5000,
    });
  });

  it('lists every problem: a bad URL, missing credentials, bad numbers', () => {
    expect(
      problemsOf({
        ...ENV,
        INTROSPECTION_URL: 'ldap://login.example.com',
        INTROSPECTION_CLIENT_SECRET: '',
        INTROSPECTION_CACHE_TTL_MS: '-1',
      }),
    ).toEqual([
      'INTROSPECTION_URL: must be an http:// or https:// URL',
      'INTROSPECTION_CLIENT_SECRET: is required',
      'INTROSPECTION_CACHE_TTL_MS: must be an integer from 0 to 86400000',
    ]);
  });

  it('is not read when the strategy is not enabled', () => {
    const config = loadServiceConfig({
      ...BASE,
      ...ENV,
      AUTH_STRATEGIES: 'jwt',
      INTROSPECTION_URL: 'nonsense',
    });
    expect(sectionOf(config, 'introspection')).toBeUndefined();
  });
});

describe('forward-auth settings', () => {
  const ENV = {
    JWT_SECRET: 'x'.repeat(32),
    AUTH_STRATEGIES: 'forward-auth',
    FORWARD_AUTH_URL: 'http://app.internal:8080/auth/session',
  };

  it('defaults to GET, a JSON id field, double-submit against XSRF-TOKEN, and CORS_ORIGINS', () => {
    const section = sectionOf(
      loadServiceConfig({
        ...BASE,
        ...ENV,
        CORS_ORIGINS: 'https://app.example.com',
      }),
      'forward-auth',
    )!;
    const settings = buildForwardAuthSettings(
      section.settings as ForwardAuthVariables,
      section.boot,
      [],
    );
    expect(settings).toEqual({
      url: ENV.FORWARD_AUTH_URL,
      method: 'GET',
      user: { from: 'json', path: ['id'] },
      timeoutMs: 3000,
      allowedOrigins: ['https://app.example.com'],
      csrf: { mode: 'double-submit', cookie: 'XSRF-TOKEN' },
    });
  });

  it('requires the origins cookie callers may come from', () => {
    expect(problemsOf(ENV)).toEqual([
      "forward-auth needs the origins allowed to send cookie-authenticated requests: set FORWARD_AUTH_ALLOWED_ORIGINS (or CORS_ORIGINS) to your app's origin",
    ]);
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({
        ...ENV,
        FORWARD_AUTH_URL: '',
        FORWARD_AUTH_METHOD: 'PUT',
        FORWARD_AUTH_USER_HEADER: 'X User',
        FORWARD_AUTH_CSRF: 'none',
        FORWARD_AUTH_ALLOWED_ORIGINS: 'https://*.example.com',
      }),
    ).toEqual([
      'FORWARD_AUTH_URL: is required',
      'FORWARD_AUTH_METHOD: must be GET or POST',
      'FORWARD_AUTH_USER_HEADER: must be a plain header name',
      'FORWARD_AUTH_ALLOWED_ORIGINS: "https://*.example.com" is not an exact origin like https://app.example.com (no wildcards, paths or "null")',
      'FORWARD_AUTH_CSRF: must be double-submit or forward',
    ]);
  });

  it('refuses a user header and a user field together', () => {
    expect(
      problemsOf({
        ...ENV,
        FORWARD_AUTH_ALLOWED_ORIGINS: 'https://app.example.com',
        FORWARD_AUTH_USER_HEADER: 'X-User',
        FORWARD_AUTH_USER_FIELD: 'user.id',
      }),
    ).toEqual([
      'set FORWARD_AUTH_USER_HEADER or FORWARD_AUTH_USER_FIELD, not both',
    ]);
  });
});

describe('signed-header settings (the extension example)', () => {
  it('requires a secret of at least 32 bytes', () => {
    expect(
      problemsOf({
        JWT_SECRET: 'x'.repeat(32),
        AUTH_STRATEGIES: 'jwt,signed-header',
        SIGNED_HEADER_SECRET: 'short',
      }),
    ).toEqual([
      'SIGNED_HEADER_SECRET must be set, at least 32 bytes, for the signed-header strategy',
    ]);
  });
});
