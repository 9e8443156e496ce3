import {
  configProblemsOf,
  serviceConfigOf,
  strategySectionOf,
} from '../../../test/helpers/service-config';
import {
  buildIntrospectionSettings,
  IntrospectionVariables,
} from './introspection.settings';

describe('introspection settings', () => {
  const ENV = {
    JWT_SECRET: 'x'.repeat(32),
    AUTH_STRATEGIES: 'introspection',
    INTROSPECTION_URL: 'https://login.example.com/oauth2/introspect',
    INTROSPECTION_CLIENT_ID: 'pusher-auth',
    INTROSPECTION_CLIENT_SECRET: 's3cret',
  };

  it('applies the defaults', () => {
    const section = strategySectionOf(
      serviceConfigOf({ ...ENV }),
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
      configProblemsOf({
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
    const config = serviceConfigOf({
      ...ENV,
      AUTH_STRATEGIES: 'jwt',
      INTROSPECTION_URL: 'nonsense',
    });
    expect(strategySectionOf(config, 'introspection')).toBeUndefined();
  });
});
