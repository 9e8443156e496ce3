import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPusherApp {
  name: string;
  appId: string;
  key: string;
  secret: string;
  /** A compatible server's address (the REST stand-in, soketi). */
  host?: string;
  port?: number;
  /** Base64 of 32 bytes, given through the entry's `encryption_master_key_env`. */
  encryptionMasterKeyBase64?: string;
}

/** Two apps besides the default, with secrets the config accepts. */
export const WEB_APP: TestPusherApp = {
  name: 'web',
  appId: '5001',
  key: 'web-key',
  secret: 'web-secret-0123456789abcdef',
};
export const MOBILE_APP: TestPusherApp = {
  name: 'mobile',
  appId: '5002',
  key: 'mobile-key',
  secret: 'mobile-secret-0123456789abcdef',
};

/** The variable an app's `secret_env` names in these tests. */
export const secretEnvOf = (app: TestPusherApp) =>
  `${app.name.toUpperCase().replace(/-/g, '_')}_PUSHER_SECRET`;

/** The variable an app's `encryption_master_key_env` names in these tests. */
export const encryptionKeyEnvOf = (app: TestPusherApp) =>
  `${app.name.toUpperCase().replace(/-/g, '_')}_ENCRYPTION_KEY`;

/**
 * Writes a PUSHER_APPS_FILE for `apps` (YAML) and returns the environment that points at it and
 * holds each secret in its own variable.
 */
export function writeAppsFile(apps: readonly TestPusherApp[]): {
  path: string;
  env: Record<string, string>;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-apps-'));
  const path = join(dir, 'apps.yaml');
  const entries = apps.map((app) =>
    [
      `  - name: ${app.name}`,
      `    app_id: '${app.appId}'`,
      `    key: ${app.key}`,
      `    secret_env: ${secretEnvOf(app)}`,
      ...(app.encryptionMasterKeyBase64
        ? [`    encryption_master_key_env: ${encryptionKeyEnvOf(app)}`]
        : []),
      ...(app.host
        ? [
            `    host: ${app.host}`,
            `    port: ${app.port}`,
            '    use_tls: false',
          ]
        : []),
    ].join('\n'),
  );
  writeFileSync(path, `apps:\n${entries.join('\n')}\n`);
  const env: Record<string, string> = { PUSHER_APPS_FILE: path };
  for (const app of apps) {
    env[secretEnvOf(app)] = app.secret;
    if (app.encryptionMasterKeyBase64)
      env[encryptionKeyEnvOf(app)] = app.encryptionMasterKeyBase64;
  }
  return {
    path,
    env,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
