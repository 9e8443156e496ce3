import type Pusher from 'pusher';

/** One app this deployment signs for, with its client (which holds the app's secret). */
export interface SigningApp {
  /** The name in its paths (`/apps/{name}/…`) and in the `app` label; `default` for the single-app variables. */
  readonly name: string;
  readonly pusher: Pusher;
  /** Whether the app has an encryption master key (private-encrypted- channels are 501 otherwise). */
  readonly encryptionEnabled: boolean;
  /**
   * The setting that gives this app its master key, named by its 501 answers:
   * `PUSHER_ENCRYPTION_MASTER_KEY_BASE64` for `default`, the entry's `encryption_master_key_env`
   * for an app of `PUSHER_APPS_FILE`.
   */
  readonly encryptionSetting: string;
}

/**
 * Every configured app by name, each client built once at boot (see signingAppsProvider).
 * A request's app is resolved once, by resolveSigningApps.
 */
export class SigningApps {
  private readonly byName: ReadonlyMap<string, SigningApp>;

  constructor(
    readonly defaultApp: SigningApp,
    others: readonly SigningApp[],
  ) {
    this.byName = new Map(
      [defaultApp, ...others].map((app) => [app.name, app]),
    );
  }

  /** `undefined` for a name that is not configured. */
  get(name: string): SigningApp | undefined {
    return this.byName.get(name);
  }

  get all(): readonly SigningApp[] {
    return [...this.byName.values()];
  }
}
