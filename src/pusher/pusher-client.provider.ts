import type { Provider } from '@nestjs/common';
import Pusher from 'pusher';
import { AppConfig, NamedPusherAppConfig } from '../config/app-config';
import { DEFAULT_APP_NAME } from '../config/apps-file';
import { SigningApps } from './signing-apps';

/** One client per app, built at boot: each holds the secret that signs that app's responses. */
export const signingAppsProvider: Provider = {
  provide: SigningApps,
  inject: [AppConfig],
  useFactory: ({ apps }: AppConfig) => {
    const [defaultApp, ...others] = apps.map((app) => ({
      name: app.name,
      pusher: createPusherClient(app),
      encryptionEnabled: Boolean(app.encryptionMasterKeyBase64),
      encryptionSetting: encryptionSettingOf(app),
    }));
    return new SigningApps(defaultApp, others);
  },
};

function createPusherClient(app: NamedPusherAppConfig): Pusher {
  return new Pusher({
    appId: app.appId,
    key: app.key,
    secret: app.secret,
    useTLS: app.useTLS,
    // REST calls (ending a removed user's connections) must fail, and be retried, not hang.
    timeout: 10_000,
    ...(app.cluster ? { cluster: app.cluster } : {}),
    ...(app.host ? { host: app.host } : {}),
    ...(app.port ? { port: String(app.port) } : {}),
    ...(app.encryptionMasterKeyBase64
      ? { encryptionMasterKeyBase64: app.encryptionMasterKeyBase64 }
      : {}),
  } as Pusher.Options);
}

/**
 * Where an operator gives this app a master key. A file entry that names a variable always has a
 * key (an unset or malformed one stops start-up), so a keyless entry lacks the setting itself.
 */
function encryptionSettingOf(app: NamedPusherAppConfig): string {
  return app.name === DEFAULT_APP_NAME
    ? 'PUSHER_ENCRYPTION_MASTER_KEY_BASE64'
    : `encryption_master_key_env in the PUSHER_APPS_FILE entry "${app.name}"`;
}
