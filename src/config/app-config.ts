import type {
  AnyChannelCheck,
  AnyStrategy,
  EnabledExtension,
} from './extensions';
import type { ChannelsConfig } from './channels.config';
import type { TrustProxy } from './trust-proxy';

export type LogLevel =
  'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** `LOG_FORMAT`: `auto` is worked out when the log is opened (stdout-log.ts). */
export type LogFormat = 'auto' | 'json' | 'pretty';

export interface PusherAppConfig {
  appId: string;
  key: string;
  secret: string;
  /** Pusher's hosted cluster (`PUSHER_CLUSTER`), or a compatible server's `host`/`port`. */
  cluster?: string;
  host?: string;
  port?: number;
  /** @default true */
  useTLS: boolean;
  encryptionMasterKeyBase64?: string;
}

/** One app this deployment signs for, by the name in its paths (`/apps/{name}/…`). */
export interface NamedPusherAppConfig extends PusherAppConfig {
  /** `default` for the single-app variables; an entry's `name` in `PUSHER_APPS_FILE`. */
  name: string;
}

export interface DirectoryConfig {
  /** @default 'sqlite://./data/directory.db' */
  url: string;
  /** @default 'deny' */
  unknownUsers: 'deny' | 'claims';
  /** @default 30000 */
  cacheTtlMs: number;
  /**
   * Most users held in the user cache, and apart, most users' channel access: the least recently
   * used makes room. Users not found are never held. @default 50000
   */
  cacheMaxUsers: number;
  /**
   * Your own SQL for a user (`DIRECTORY_USER_QUERY`), `$1` = the user id; replaces the built-in
   * tables for reading. @default undefined (the built-in tables)
   */
  userQuery?: string;
  /** Your own SQL for a watchlist (`DIRECTORY_WATCHLIST_QUERY`). @default undefined (no watchlists) */
  watchlistQuery?: string;
  /**
   * Your own SQL for several users at once (`DIRECTORY_USERS_QUERY`), `$1` = the list of ids.
   * @default undefined (one `userQuery` per user)
   */
  usersQuery?: string;
  /**
   * Your own SQL for several users' watchlists at once (`DIRECTORY_WATCHLISTS_QUERY`).
   * @default undefined (one `watchlistQuery` per user)
   */
  watchlistsQuery?: string;
  /** How long past its TTL a cached user may be served while storage is down. @default 0 */
  staleIfErrorMs: number;
  /** End a removed user's live connections through the Pusher REST API. @default false */
  terminateOnRemove: boolean;
  /**
   * End the live connections of users who lose a grant or a group membership through the Pusher
   * REST API. @default false
   */
  terminateOnRevoke: boolean;
}

export interface UserRulesConfig {
  /** @default 100 */
  watchlistMax: number;
  /** @default 1024 */
  userInfoMaxBytes: number;
}

export interface HttpConfig {
  /** @default 3000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** @default '/pusher/user-auth' */
  userAuthPath: string;
  /** @default '/pusher/auth' */
  channelAuthPath: string;
  /** Exact origins allowed cross-origin access. @default [] (none) */
  corsOrigins: string[];
  /** @default false */
  jsonpEnabled: boolean;
  /** `TRUST_PROXY`: whose X-Forwarded-For names the client address. @default false */
  trustProxy: TrustProxy;
  /**
   * `HTTP_REQUEST_TIMEOUT_MS`: how long a client may take to send a whole request (headers and
   * body); then 408 and the connection is closed. @default 10000
   */
  requestTimeoutMs: number;
  /**
   * `HTTP_MAX_CONNECTIONS`: most connections open at once (idle keep-alive ones included); past
   * it Node closes each new connection as it arrives. @default 10000
   */
  maxConnections: number;
}

export interface RateLimitConfig {
  /** Requests per minute per client address; 0 turns it off. @default 600 */
  perIpPerMinute: number;
  /** Requests per minute per identified user; 0 turns it off. @default 120 */
  perUserPerMinute: number;
  /** Shared budget across replicas when set; per process otherwise. @default undefined */
  redisUrl?: string;
  /** Prefix of every Redis key, so deployments can share one Redis. @default 'pusher-auth:' */
  redisKeyPrefix: string;
  /**
   * `RATE_LIMIT_MAX_KEYS`: most counters (addresses plus users) one process keeps in memory; past
   * it the least recently used live counter is dropped (and counted). @default 100000
   */
  maxKeys: number;
  /**
   * `REDIS_BREAKER_COOLDOWN_MS`: after a Redis failure, how long rate limits use local budgets
   * without asking Redis before one probe asks again. @default 5000
   */
  redisBreakerCooldownMs: number;
}

export interface ShutdownConfig {
  /** How long readiness answers 503 before the listener closes (load balancers notice). @default 0 */
  delayMs: number;
  /** How long in-flight requests may take to finish after that; then the process exits 1. @default 10000 */
  timeoutMs: number;
}

export interface LogSafetyConfig {
  /** Values of the variables the enabled extensions name as secrets (scrubbed from every line). */
  secrets: readonly string[];
  /** Query or body parameters that may carry a credential (redacted from every line). */
  credentialParameters: readonly string[];
}

export interface DemoModeConfig {
  /** True when nothing was configured outside production: demo credentials are in use. */
  enabled: boolean;
}

/**
 * The service's whole configuration, validated once at boot by `loadConfig`.
 * Provided as a value: nothing else reads `process.env`. Each feature owns one section.
 */
export class AppConfig {
  readonly production!: boolean;
  readonly demo!: DemoModeConfig;
  readonly http!: HttpConfig;
  /** The single-app variables' app: the unprefixed paths sign for it. */
  readonly pusher!: PusherAppConfig;
  /**
   * Every app signed for: `default` (the one above) first, then `PUSHER_APPS_FILE`'s entries.
   * @default [the default app]
   */
  readonly apps!: readonly NamedPusherAppConfig[];
  /**
   * `AUTH_STRATEGIES`, in the order they are tried, each with its validated settings.
   * @default [the first shipped strategy, jwt]
   */
  readonly strategies!: readonly EnabledExtension<AnyStrategy>[];
  /** Every loaded channel check (shipped or from `PLUGINS`), with its validated settings. */
  readonly channelChecks!: readonly EnabledExtension<AnyChannelCheck>[];
  /** What log lines must never show, from the extensions' own declarations. */
  readonly logSafety!: LogSafetyConfig;
  readonly directory!: DirectoryConfig;
  readonly userRules!: UserRulesConfig;
  readonly channels!: ChannelsConfig;
  readonly rateLimit!: RateLimitConfig;
  readonly shutdown!: ShutdownConfig;
  /** @default 'info' */
  readonly logLevel!: LogLevel;
  /** @default 'auto' */
  readonly logFormat!: LogFormat;

  constructor(sections: AppConfig) {
    Object.assign(this, sections);
  }
}
