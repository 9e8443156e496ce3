import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../config/app-config.module';
import { ForwardAuthConfig } from '../config/forward-auth.config';
import { IntrospectionConfig } from '../config/introspection.config';
import { loadConfig } from '../config/load-config';
import { AuthModule } from './auth.module';
import { CallerGuard } from './caller.guard';
import { JwtVerifier } from './jwt/jwt-verifier';
import { RemoteKeyJwtVerifier } from './jwt/remote-key.jwt-verifier';
import { StaticKeyJwtVerifier } from './jwt/static-key.jwt-verifier';
import { ForwardAuthStrategy } from './strategies/forward-auth.strategy';
import { IntrospectionStrategy } from './strategies/introspection.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

const BASE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
};

const tokensOf = (env: Record<string, string>) =>
  (AuthModule.forRoot(loadConfig({ ...BASE, ...env })).providers ?? []).map(
    (provider) =>
      typeof provider === 'function'
        ? provider
        : (provider as { provide: unknown }).provide,
  );

describe('AuthModule.forRoot', () => {
  it('registers exactly the strategies AUTH_STRATEGIES names, each with its settings', () => {
    expect(
      tokensOf({
        AUTH_STRATEGIES: 'forward-auth,introspection',
        FORWARD_AUTH_URL: 'http://app.internal/session',
        FORWARD_AUTH_ALLOWED_ORIGINS: 'https://app.example.com',
        INTROSPECTION_URL: 'https://idp.example.com/introspect',
        INTROSPECTION_CLIENT_ID: 'id',
        INTROSPECTION_CLIENT_SECRET: 'secret',
      }),
    ).toEqual([
      ForwardAuthStrategy,
      ForwardAuthConfig,
      IntrospectionStrategy,
      IntrospectionConfig,
      CallerGuard,
    ]);
  });

  it('registers the jwt strategy with its verifier', () => {
    expect(tokensOf({})).toEqual([JwtStrategy, JwtVerifier, CallerGuard]);
  });

  it.each([
    ['a static key', {}, StaticKeyJwtVerifier],
    [
      'OIDC_ISSUER',
      {
        JWT_SECRET: '',
        OIDC_ISSUER: 'https://idp.example.com/',
        JWT_AUDIENCE: 'api',
      },
      RemoteKeyJwtVerifier,
    ],
  ])(
    'verifies JWTs with %s through the matching verifier',
    async (_case, env, type) => {
      const config = loadConfig({ ...BASE, ...env });
      const moduleRef = await Test.createTestingModule({
        imports: [AppConfigModule.forRoot(config), AuthModule.forRoot(config)],
      }).compile();
      expect(moduleRef.get(JwtVerifier)).toBeInstanceOf(type);
      await moduleRef.close();
    },
  );
});
