import type { Provider } from '@nestjs/common';
import Pusher from 'pusher';
import { AppConfig } from '../config/app-config';

/** One client for the app, built at boot: it holds the secret that signs every response. */
export const pusherClientProvider: Provider = {
  provide: Pusher,
  inject: [AppConfig],
  useFactory: ({ pusher }: AppConfig) =>
    new Pusher({
      appId: pusher.appId,
      key: pusher.key,
      secret: pusher.secret,
      useTLS: pusher.useTLS,
      // REST calls (ending a removed user's connections) must fail, and be retried, not hang.
      timeout: 10_000,
      ...(pusher.cluster ? { cluster: pusher.cluster } : {}),
      ...(pusher.host ? { host: pusher.host } : {}),
      ...(pusher.port ? { port: String(pusher.port) } : {}),
      ...(pusher.encryptionMasterKeyBase64
        ? { encryptionMasterKeyBase64: pusher.encryptionMasterKeyBase64 }
        : {}),
    } as Pusher.Options),
};
