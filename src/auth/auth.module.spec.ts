import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../config/app-config.module';
import { loadServiceConfig } from '../extensions/service-config';
import { AuthModule } from './auth.module';
import { CallerGuard } from './caller.guard';

const BASE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
};

const providerNamesOf = (env: Record<string, string>) =>
  (
    AuthModule.forRoot(loadServiceConfig({ ...BASE, ...env })).providers ?? []
  ).map(
    (provider) =>
      (typeof provider === 'function'
        ? provider
        : (provider as { provide: { name: string } }).provide
      ).name,
  );

describe('AuthModule.forRoot', () => {
  it('registers exactly the strategies AUTH_STRATEGIES names, in its order', () => {
    expect(
      providerNamesOf({
        AUTH_STRATEGIES: 'forward-auth,introspection',
        FORWARD_AUTH_URL: 'http://app.internal/session',
        FORWARD_AUTH_ALLOWED_ORIGINS: 'https://app.example.com',
        INTROSPECTION_URL: 'https://idp.example.com/introspect',
        INTROSPECTION_CLIENT_ID: 'id',
        INTROSPECTION_CLIENT_SECRET: 'secret',
      }),
    ).toEqual([
      'Strategy:forward-auth',
      'Strategy:introspection',
      CallerGuard.name,
    ]);
  });

  it('registers the jwt strategy when AUTH_STRATEGIES is unset', () => {
    expect(providerNamesOf({})).toEqual(['Strategy:jwt', CallerGuard.name]);
  });

  it.each([
    ['a static key', {}],
    [
      'OIDC_ISSUER',
      {
        JWT_SECRET: '',
        OIDC_ISSUER: 'https://idp.example.com/',
        JWT_AUDIENCE: 'api',
      },
    ],
  ])('sets the jwt strategy up at boot with %s', async (_case, env) => {
    const config = loadServiceConfig({ ...BASE, ...env });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), AuthModule.forRoot(config)],
    }).compile();
    expect(moduleRef.get(CallerGuard)).toBeInstanceOf(CallerGuard);
    await moduleRef.close();
  });
});
