import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadServiceConfig } from '../extensions/service-config';

const BASE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
};
const WEB_SECRET = 'web-secret-0123456789abcdef';
const MOBILE_SECRET = 'mobile-secret-0123456789abcdef';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the apps file (PUSHER_APPS_FILE)', () => {
  let dir: string;
  let count = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pusher-auth-apps-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function appsFile(text: string, extension = 'yaml'): string {
    const file = join(dir, `apps-${++count}.${extension}`);
    writeFileSync(file, text);
    return file;
  }

  it('without it, the single-app variables are the one app, named default', () => {
    expect(loadServiceConfig(BASE).apps).toEqual([
      expect.objectContaining({
        name: 'default',
        appId: '1',
        key: 'key',
        secret: 'secret',
      }),
    ]);
  });

  it('reads YAML entries after the default app, each secret from the variable it names', () => {
    const file = appsFile(
      [
        'apps:',
        '  - name: web',
        '    app_id: 101',
        '    key: web-key',
        '    secret_env: WEB_PUSHER_SECRET',
        '    cluster: eu',
        '  - name: mobile-2',
        "    app_id: '102'",
        '    key: mobile-key',
        '    secret_env: MOBILE_PUSHER_SECRET',
        '    host: 127.0.0.1',
        '    port: 6001',
        '    use_tls: false',
      ].join('\n'),
    );
    const { apps, pusher } = loadServiceConfig({
      ...BASE,
      PUSHER_APPS_FILE: file,
      WEB_PUSHER_SECRET: WEB_SECRET,
      MOBILE_PUSHER_SECRET: MOBILE_SECRET,
    });
    expect(pusher.key).toBe('key');
    expect(apps.map((app) => app.name)).toEqual(['default', 'web', 'mobile-2']);
    expect(apps[1]).toEqual({
      name: 'web',
      appId: '101',
      key: 'web-key',
      secret: WEB_SECRET,
      cluster: 'eu',
      host: undefined,
      port: undefined,
      useTLS: true,
      encryptionMasterKeyBase64: undefined,
    });
    expect(apps[2]).toMatchObject({
      appId: '102',
      secret: MOBILE_SECRET,
      host: '127.0.0.1',
      port: 6001,
      useTLS: false,
    });
  });

  it('reads the same entries from JSON', () => {
    const file = appsFile(
      JSON.stringify({
        apps: [
          {
            name: 'web',
            app_id: '101',
            key: 'web-key',
            secret_env: 'WEB_PUSHER_SECRET',
          },
        ],
      }),
      'json',
    );
    const { apps } = loadServiceConfig({
      ...BASE,
      PUSHER_APPS_FILE: file,
      WEB_PUSHER_SECRET: WEB_SECRET,
    });
    expect(apps[1]).toMatchObject({
      name: 'web',
      appId: '101',
      key: 'web-key',
      secret: WEB_SECRET,
    });
  });

  it('names a missing secret variable', () => {
    const file = appsFile(
      'apps:\n  - {name: web, app_id: 1, key: k, secret_env: WEB_PUSHER_SECRET}\n',
    );
    expect(problemsOf({ ...BASE, PUSHER_APPS_FILE: file })).toEqual([
      'PUSHER_APPS_FILE apps[0] (web): secret_env WEB_PUSHER_SECRET is not set',
    ]);
  });

  it('refuses a weak secret, naming its variable and never printing it', () => {
    const file = appsFile(
      [
        'apps:',
        '  - {name: short, app_id: 1, key: k1, secret_env: SHORT_SECRET}',
        '  - {name: public, app_id: 2, key: k2, secret_env: DEMO_SECRET}',
      ].join('\n'),
    );
    const env = {
      ...BASE,
      PUSHER_APPS_FILE: file,
      SHORT_SECRET: 'hunter2hunter2',
      // The demo secret: long enough, but printed in this project's own source.
      DEMO_SECRET:
        'pusher-auth-demo-secret-known-to-everyone-never-use-in-production',
    };
    const problems = problemsOf(env);
    expect(problems).toEqual([
      expect.stringMatching(
        /^PUSHER_APPS_FILE apps\[0\] \(short\): the secret in SHORT_SECRET is weak/,
      ),
      expect.stringMatching(
        /^PUSHER_APPS_FILE apps\[1\] \(public\): the secret in DEMO_SECRET is weak/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems.join('\n')).not.toContain('known-to-everyone');
  });

  it('refuses a name used twice', () => {
    const file = appsFile(
      [
        'apps:',
        '  - {name: web, app_id: 1, key: k1, secret_env: WEB_PUSHER_SECRET}',
        '  - {name: web, app_id: 2, key: k2, secret_env: WEB_PUSHER_SECRET}',
      ].join('\n'),
    );
    expect(
      problemsOf({
        ...BASE,
        PUSHER_APPS_FILE: file,
        WEB_PUSHER_SECRET: WEB_SECRET,
      }),
    ).toEqual([expect.stringContaining('apps[1].name: "web" is used twice')]);
  });

  it.each([
    ['a slash', 'web/admin'],
    ['an upper-case letter', 'Web'],
    ['a leading dash', '-web'],
    ['a dot segment', '..'],
    ['the reserved name default', 'default'],
  ])('refuses a name with %s', (_what, name) => {
    const file = appsFile(
      `apps:\n  - {name: ${JSON.stringify(name)}, app_id: 1, key: k, secret_env: WEB_PUSHER_SECRET}\n`,
    );
    expect(
      problemsOf({
        ...BASE,
        PUSHER_APPS_FILE: file,
        WEB_PUSHER_SECRET: WEB_SECRET,
      }),
    ).toEqual([expect.stringMatching(/apps\[0\]\.name: /)]);
  });

  it('lists every problem of the file together with the other settings', () => {
    const file = appsFile(
      [
        'apps:',
        '  - {name: web, app_id: 1, key: k1, secret_env: WEB_PUSHER_SECRET, cluster: eu, host: h}',
        '  - {name: "bad name", key: k2, secret_env: X, colour: blue}',
      ].join('\n'),
    );
    const problems = problemsOf({
      ...BASE,
      PUSHER_APPS_FILE: file,
      CORS_ORIGINS: '*',
    });
    const text = problems.join('\n');
    expect(text).toContain('apps[0]: set cluster or host, not both');
    expect(text).toContain('apps[1].name: must be');
    expect(text).toContain('apps[1].app_id: must be the Pusher app id');
    expect(text).toContain('colour');
    expect(text).toContain('CORS_ORIGINS');
    expect(problems.every((line) => !line.includes('undefined'))).toBe(true);
  });

  it('names an unreadable file', () => {
    expect(
      problemsOf({ ...BASE, PUSHER_APPS_FILE: join(dir, 'missing.yaml') }),
    ).toEqual([
      expect.stringMatching(
        /PUSHER_APPS_FILE \(.*missing\.yaml\): cannot be read \(ENOENT\)/,
      ),
    ]);
  });

  it('refuses a policy rule limited to an app that is not configured', () => {
    const file = appsFile(
      'apps:\n  - {name: web, app_id: 1, key: k, secret_env: WEB_PUSHER_SECRET}\n',
    );
    const policy = join(dir, `policy-${++count}.yaml`);
    writeFileSync(
      policy,
      'rules:\n  - {channels: private-news, allow: any-user, apps: [web, wbe]}\n',
    );
    expect(
      problemsOf({
        ...BASE,
        PUSHER_APPS_FILE: file,
        WEB_PUSHER_SECRET: WEB_SECRET,
        CHANNEL_POLICY_FILE: policy,
      }),
    ).toEqual([
      'CHANNEL_POLICY_FILE rules[0].apps: "wbe" is not a configured app (configured: default, web)',
    ]);
  });

  it('keeps the apps a policy rule is limited to', () => {
    const policy = join(dir, `policy-${++count}.yaml`);
    writeFileSync(
      policy,
      'rules:\n  - {channels: private-news, allow: any-user, apps: [default]}\n',
    );
    const { channels } = loadServiceConfig({
      ...BASE,
      CHANNEL_POLICY_FILE: policy,
    });
    expect(channels.rules[0].apps).toEqual(['default']);
  });
});
