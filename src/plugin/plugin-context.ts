/** Settings every extension may depend on, beyond its own variables. */
export interface BootContext {
  /** `NODE_ENV=production`: refuse development shortcuts (public secrets, plain HTTP). */
  readonly production: boolean;
  /** `CORS_ORIGINS`, validated as exact origins. */
  readonly corsOrigins: readonly string[];
  /** `IDENTITY_PROVIDERS_ALLOW_HTTP`: plain-HTTP provider URLs accepted in production. */
  readonly allowHttpProviders: boolean;
}

/** Lines an extension writes to the service's log, under its own name; secrets are scrubbed. */
export interface PluginLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What `setup` is handed, once, at boot. */
export interface SetupContext extends BootContext {
  readonly logger: PluginLogger;
  /**
   * Counts an entry an in-process cache of the extension dropped to make room
   * (`pusher_auth_cache_evictions_total{cache="<extension name>"}`): a steady rise says the
   * cache is too small for the traffic.
   */
  countCacheEviction(): void;
}
