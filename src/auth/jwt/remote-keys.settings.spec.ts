import {
  serviceConfigOf,
  configProblemsOf,
} from '../../../test/helpers/service-config';
import { jwtSettingsOf } from './dev-token';

const IDP = 'https://login.example.com/realms/demo';

const jwtOf = (env: Record<string, string>) =>
  jwtSettingsOf(serviceConfigOf(env));

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
      configProblemsOf({
        PUSHER_APP_ID: '',
        OIDC_ISSUER: IDP,
        JWT_AUDIENCE: 'a',
      }),
    ).toContain('PUSHER_APP_ID is required');
  });

  it('lists every remote-key problem at once', () => {
    expect(
      configProblemsOf({
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
      configProblemsOf({ JWT_JWKS_URI: `${IDP}/certs`, JWT_AUDIENCE: 'a' }),
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
    const problems = configProblemsOf({
      OIDC_ISSUER: IDP,
      JWT_AUDIENCE: 'a',
      [name]: value,
    }).join('\n');
    expect(problems).toContain(`${name}: ${message}`);
    expect(problems).not.toContain(value);
  });
});
