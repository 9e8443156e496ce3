import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  runServiceToExit,
  startService,
  stopService,
} from '../helpers/service-process';
import { TEST_JWT_SECRET } from '../helpers/test-app';

/**
 * Settings that each look valid but contradict the service's own routes, its security model or
 * each other: refused at start-up, every one named in the one message, as `npm start` runs it.
 */
describe('configuration that contradicts itself', () => {
  let workDir: string;
  const production = () => ({
    NODE_ENV: 'production',
    PUSHER_APP_ID: '1',
    PUSHER_KEY: 'key',
    PUSHER_SECRET: 'a-real-looking-pusher-secret',
    DIRECTORY_URL: `sqlite://${join(workDir, 'directory.db')}`,
    PORT: '0',
    HOST: '127.0.0.1',
  });

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-contradiction-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  const refusal = async (env: Record<string, string>) => {
    const { code, output } = await runServiceToExit(env, workDir);
    expect(code).toBe(1);
    expect(output).toMatch(/^pusher-auth cannot start\. Invalid configuration/);
    expect(output).not.toMatch(/\n\s+at /);
    return output;
  };

  it.each([
    ['an app route', '/apps/web/pusher/auth', '/apps/…'],
    ['the apps prefix itself', '/apps', '/apps/…'],
    ['the readiness probe', '/health/ready', '/health/…'],
    ['the metrics', '/metrics', '/metrics/…'],
    ['the API docs', '/docs/auth', '/docs/…'],
    [
      'a path that resolves into an app route',
      '/x/../apps/web/pusher/auth',
      '. or .. segments',
    ],
    ['an empty segment', '/pusher//auth', 'empty segments'],
  ])('refuses a custom endpoint path on %s', async (_where, path, problem) => {
    const output = await refusal({
      ...production(),
      JWT_SECRET: TEST_JWT_SECRET,
      PUSHER_CHANNEL_AUTH_PATH: path,
    });
    expect(output).toContain(`PUSHER_CHANNEL_AUTH_PATH: `);
    expect(output).toContain(problem);
  });

  it('refuses plain-HTTP identity providers in production, naming each setting', async () => {
    const output = await refusal({
      ...production(),
      AUTH_STRATEGIES: 'jwt,introspection,forward-auth',
      OIDC_ISSUER: 'http://idp.example.com/realms/demo',
      JWT_AUDIENCE: 'pusher-auth',
      INTROSPECTION_URL: 'http://idp.example.com/introspect',
      INTROSPECTION_CLIENT_ID: 'pusher-auth',
      INTROSPECTION_CLIENT_SECRET: 'a-client-secret-value',
      FORWARD_AUTH_URL: 'http://app.internal/session',
      FORWARD_AUTH_ALLOWED_ORIGINS: 'https://app.example.com',
    });
    for (const name of [
      'OIDC_ISSUER',
      'INTROSPECTION_URL',
      'FORWARD_AUTH_URL',
    ]) {
      expect(output).toContain(`${name} must be an https:// URL in production`);
    }
    expect(output).toMatch(/Invalid configuration \(3 problems\)/);
    expect(output).not.toContain('a-client-secret-value');
  });

  it('refuses JWT_JWKS_URI over plain HTTP in production', async () => {
    const output = await refusal({
      ...production(),
      JWT_JWKS_URI: 'http://idp.example.com/keys',
      JWT_ISSUER: 'https://idp.example.com',
      JWT_AUDIENCE: 'pusher-auth',
    });
    expect(output).toContain(
      'JWT_JWKS_URI must be an https:// URL in production',
    );
  });

  it.each([
    [
      'over loopback (a sidecar)',
      { OIDC_ISSUER: 'http://127.0.0.1:9/realms/demo' },
    ],
    [
      'with IDENTITY_PROVIDERS_ALLOW_HTTP=true (a network the team trusts)',
      {
        OIDC_ISSUER: 'http://idp.internal/realms/demo',
        IDENTITY_PROVIDERS_ALLOW_HTTP: 'true',
      },
    ],
  ])('starts with a plain-HTTP provider %s', async (_how, settings) => {
    const started = await startService(
      { ...production(), JWT_AUDIENCE: 'pusher-auth', ...settings },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    await stopService(started.child);
  });

  it('refuses TERMINATE_ON_REMOVE with DIRECTORY_UNKNOWN_USERS=claims', async () => {
    const output = await refusal({
      ...production(),
      JWT_SECRET: TEST_JWT_SECRET,
      TERMINATE_ON_REMOVE: 'true',
      DIRECTORY_UNKNOWN_USERS: 'claims',
    });
    expect(output).toContain(
      'TERMINATE_ON_REMOVE needs DIRECTORY_UNKNOWN_USERS=deny',
    );
  });
});
