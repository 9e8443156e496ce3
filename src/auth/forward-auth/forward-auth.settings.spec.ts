import {
  configProblemsOf,
  serviceConfigOf,
  strategySectionOf,
} from '../../../test/helpers/service-config';
import {
  buildForwardAuthSettings,
  ForwardAuthVariables,
} from './forward-auth.settings';

describe('forward-auth settings', () => {
  const ENV = {
    JWT_SECRET: 'x'.repeat(32),
    AUTH_STRATEGIES: 'forward-auth',
    FORWARD_AUTH_URL: 'http://app.internal:8080/auth/session',
  };

  it('defaults to GET, a JSON id field, double-submit against XSRF-TOKEN, and CORS_ORIGINS', () => {
    const section = strategySectionOf(
      serviceConfigOf({
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
    expect(configProblemsOf(ENV)).toEqual([
      "forward-auth needs the origins allowed to send cookie-authenticated requests: set FORWARD_AUTH_ALLOWED_ORIGINS (or CORS_ORIGINS) to your app's origin",
    ]);
  });

  it('lists every problem at once', () => {
    expect(
      configProblemsOf({
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
      configProblemsOf({
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
