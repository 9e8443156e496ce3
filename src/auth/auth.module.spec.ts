import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../config/app-config.module';
import { loadConfig } from '../config/load-config';
import { AuthModule } from './auth.module';
import { CallerGuard } from './caller.guard';
import { ForwardAuthSettings } from './forward-auth/forward-auth.settings';
import { ForwardAuthStrategy } from './forward-auth/forward-auth.strategy';
import { IntrospectionSettings } from './introspection/introspection.settings';
import { IntrospectionStrategy } from './introspection/introspection.strategy';
import { JwtSettings } from './jwt/jwt.settings';
import { JwtStrategy } from './jwt/jwt.strategy';
import { JwtVerifier } from './jwt/jwt-verifier';
import { RemoteKeyJwtVerifier } from './jwt/remote-key.jwt-verifier';
import { StaticKeyJwtVerifier } from './jwt/static-key.jwt-verifier';

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
      ForwardAuthSettings,
      IntrospectionStrategy,
      IntrospectionSettings,
      CallerGuard,
    ]);
  });

  it('registers the jwt strategy with its settings and verifier', () => {
    expect(tokensOf({})).toEqual([
      JwtStrategy,
      JwtSettings,
      JwtVerifier,
      CallerGuard,
    ]);
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
