import { z } from 'zod';
import {
  flag,
  integer,
  list,
  optionalHttpUrl,
  optionalText,
} from '../plugin/settings';
import { documented, SettingDoc } from '../plugin/setting-doc';
import { SettingSectionId } from './setting-sections';

export { flag, integer, list, optionalHttpUrl, optionalText };

/**
 * The environment variables this service reads, as the contract names them, each with its
 * documentation (docs/configuration.md and .env.example are generated from it: `npm run
 * settings`); each strategy's own are parsed beside it (`src/auth/<name>/<name>.settings.ts`),
 * only when it is enabled.
 */

const endpointPath = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => value || fallback)
    .pipe(
      z
        .string()
        .regex(/^\/[A-Za-z0-9\-._~/]*$/, 'must be a URL path starting with /'),
    );

/** A service setting, documented in its section (docs/configuration.md, .env.example). */
const service = <T extends z.ZodType>(
  section: SettingSectionId,
  schema: T,
  doc: Omit<SettingDoc, 'section'>,
): T => documented(schema, { section, ...doc });

const PATH_RULES =
  "a URL path starting with /, different from the other endpoint path; never under /apps, /health, /metrics or /docs (the service's own routes), and without . or .. segments or empty // segments";

export const envSchema = z.object({
  NODE_ENV: service('production', optionalText, {
    description:
      "Set it to production in production: refuses demo mode, the example's and the demo's secrets, and an in-memory directory.",
    values: '`production`, or anything else',
    example: 'production',
  }),
  PORT: service('http', integer(3000, 0, 65535), {
    description: 'Port to listen on.',
  }),
  HOST: service(
    'http',
    optionalText.transform((value) => value ?? '0.0.0.0'),
    { description: 'Interface to listen on.', values: 'an IP address' },
  ),

  PUSHER_APP_ID: service('pusher', optionalText, {
    description: 'The Pusher app id.',
    default: 'none (required; demo values in demo mode)',
    example: 'app-id',
    local: true,
  }),
  PUSHER_KEY: service('pusher', optionalText, {
    description: 'The Pusher app key.',
    default: 'none (required; demo values in demo mode)',
    example: 'app-key',
    local: true,
  }),
  PUSHER_SECRET: service('pusher', optionalText, {
    description: 'The Pusher app secret.',
    default: 'none (required; demo values in demo mode)',
    secret: true,
    example: 'app-secret',
    local: true,
  }),
  PUSHER_CLUSTER: service('pusher', optionalText, {
    description:
      'Where the Pusher REST API is: either a Pusher cluster, or PUSHER_HOST/PUSHER_PORT for a compatible server such as soketi (not both).',
    example: 'eu',
  }),
  PUSHER_HOST: service('pusher', optionalText, {
    description:
      'Host of the REST API of a Pusher-compatible server such as soketi (not with PUSHER_CLUSTER).',
    example: 'soketi.internal',
  }),
  PUSHER_PORT: service('pusher', integer(0, 0, 65535), {
    description: "Port of that server's REST API, with PUSHER_HOST.",
    default: "none (the scheme's port)",
    example: '6001',
  }),
  PUSHER_USE_TLS: service('pusher', flag(true), {
    description: 'Use HTTPS for the REST API.',
  }),
  PUSHER_ENCRYPTION_MASTER_KEY_BASE64: service('pusher', optionalText, {
    description:
      'Enables private-encrypted- channels: 32 random bytes, base64-encoded, e.g. `openssl rand -base64 32`. Without it encrypted channels are off: requests for them are answered 501. Generate your own for production.',
    values: '32 bytes, base64-encoded',
    secret: true,
  }),
  PUSHER_APPS_FILE: service('pusher', optionalText, {
    description:
      'More Pusher apps, signed for at /apps/{name}/pusher/user-auth and /apps/{name}/pusher/auth (the variables above are the app "default", served at the unprefixed paths too). YAML or JSON: apps: [{name, app_id, key, secret_env, cluster | host/port/use_tls, encryption_master_key_env}], each secret in the environment variable its secret_env names (16+ characters), e.g. WEB_PUSHER_SECRET. A file that cannot be used stops start-up.',
    default: 'none (the default app only)',
    values: 'a file path',
    example: './pusher-apps.yaml',
  }),
  PUSHER_USER_AUTH_PATH: service('pusher', endpointPath('/pusher/user-auth'), {
    description:
      'Path of the sign-in endpoint (pusher-js userAuthentication.endpoint).',
    values: PATH_RULES,
  }),
  PUSHER_CHANNEL_AUTH_PATH: service('pusher', endpointPath('/pusher/auth'), {
    description:
      'Path of the channel authorization endpoint (pusher-js channelAuthorization.endpoint).',
    values: PATH_RULES,
  }),

  AUTH_STRATEGIES: service('identity', list, {
    description:
      'Identity providers, comma separated, tried in this order; the first that identifies the caller wins: jwt, introspection, forward-auth, signed-header, or a strategy a plugin defines. See docs/strategies.md.',
    default: 'jwt',
    values: 'a comma-separated list of strategy names',
    example: 'jwt',
  }),
  PLUGINS: service('identity', list, {
    description:
      'Plugins: your own strategies and channel checks, comma separated; paths (relative to the working directory, or absolute) or package names. A plugin that cannot be loaded stops start-up. See docs/plugins.md.',
    values: 'a comma-separated list of paths or package names',
    example: './plugins/api-key.strategy.js',
  }),

  DIRECTORY_URL: service(
    'directory',
    optionalText.transform((value) => value ?? 'sqlite://./data/directory.db'),
    {
      description:
        'Where users live. The default is relative to the working directory. In production with several replicas: one PostgreSQL they all share (a SQLite file serves one instance; :memory: is refused in production).',
      values:
        'postgres://user:password@host:5432/db, sqlite://<file> or sqlite://:memory:',
      secret: true,
    },
  ),
  DIRECTORY_UNKNOWN_USERS: service(
    'directory',
    z
      .enum(['deny', 'claims'], { message: 'must be deny or claims' })
      .optional()
      .transform((value) => value ?? 'deny'),
    {
      description:
        'Users not in the directory: deny (403) or claims (user_info from token claims, empty watchlist).',
      values: '`deny` or `claims`',
    },
  ),
  DIRECTORY_CACHE_TTL_MS: service('directory', integer(30_000, 0, 86_400_000), {
    description:
      'How long a loaded user and their channel access are reused, in ms (0 disables the cache); changes made through the directory are announced to every replica at once anyway.',
  }),
  DIRECTORY_CACHE_MAX_USERS: service(
    'directory',
    integer(50_000, 1, 10_000_000),
    {
      description:
        "Most users each replica holds in its cache (and, apart, most users' channel access); the least recently used makes room. Users not in the directory are never held, so a flood of unknown ids cannot push known users out.",
    },
  ),
  WATCHLIST_MAX: service('user-rules', integer(100, 0, 10_000), {
    description: 'Maximum watchlist entries.',
  }),
  USER_INFO_MAX_BYTES: service('user-rules', integer(1024, 2, 1_048_576), {
    description: 'Maximum size of user_info as JSON, in bytes.',
  }),
  DIRECTORY_USER_QUERY: service('directory', optionalText, {
    description:
      'Your own SQL instead of the built-in tables (see docs/directory.md, "Bring your own schema"); $1 = the user id, on PostgreSQL and SQLite alike. Checked at start-up: a broken query stops the service with the database\'s message. A read-only database role is enough. User query: at most one row with a column user_info (JSON object or null); no row = unknown user.',
    default: 'none (built-in tables)',
    values: 'an SQL query',
    example:
      '"SELECT jsonb_build_object(\'name\', display_name) AS user_info FROM users WHERE id = $1"',
  }),
  DIRECTORY_WATCHLIST_QUERY: service('directory', optionalText, {
    description:
      'Your own SQL for a watchlist, $1 = the user id: rows with a column id, in order (keep LIMIT = WATCHLIST_MAX). Needs DIRECTORY_USER_QUERY.',
    default: 'none (no watchlists)',
    values: 'an SQL query',
    example:
      '"SELECT followee_id AS id FROM follows WHERE follower_id = $1 ORDER BY created_at LIMIT 100"',
  }),
  DIRECTORY_USERS_QUERY: service('directory', optionalText, {
    description:
      'Your own SQL for several users in one query, $1 = the list of user ids (PostgreSQL: a text[], e.g. WHERE id = ANY($1); SQLite: a JSON array, e.g. WHERE id IN (SELECT value FROM json_each($1))): rows with a column id and the columns of DIRECTORY_USER_QUERY. The cache misses of one event-loop turn are then read in one query instead of one per user. Checked at start-up like DIRECTORY_USER_QUERY. Needs DIRECTORY_USER_QUERY.',
    default: 'none (one DIRECTORY_USER_QUERY per user)',
    values: 'an SQL query',
    example:
      '"SELECT id, jsonb_build_object(\'name\', display_name) AS user_info FROM users WHERE id = ANY($1)"',
  }),
  DIRECTORY_WATCHLISTS_QUERY: service('directory', optionalText, {
    description:
      "Your own SQL for the watchlists of several users in one query, $1 = the list of user ids (as for DIRECTORY_USERS_QUERY): rows with a column user_id (whose watchlist) and a column id (the watched user), each user's rows in order (keep at most WATCHLIST_MAX per user). Without it, DIRECTORY_USERS_QUERY is followed by one DIRECTORY_WATCHLIST_QUERY per user found. Needs DIRECTORY_USERS_QUERY and DIRECTORY_WATCHLIST_QUERY.",
    default: 'none (one DIRECTORY_WATCHLIST_QUERY per user)',
    values: 'an SQL query',
    example:
      '"SELECT follower_id AS user_id, followee_id AS id FROM follows WHERE follower_id = ANY($1) ORDER BY follower_id, created_at"',
  }),
  DIRECTORY_STALE_IF_ERROR_MS: service('directory', integer(0, 0, 86_400_000), {
    description:
      'Serve a cached user this long (ms) past its TTL while storage is down (then 503).',
  }),
  TERMINATE_ON_REMOVE: service('directory', flag(false), {
    description:
      "End a removed user's live connections through the Pusher REST API (every replica calls it once the directory, read again, confirms the user is gone; failures are logged and retried). Needs DIRECTORY_UNKNOWN_USERS=deny.",
  }),
  TERMINATE_ON_REVOKE: service('directory', flag(false), {
    description:
      'End the live connections of users who lose a grant or a group membership (directory revoke / groups remove, or a deleted row), once the directory, read again, confirms the access is gone. The frontend reconnects to get its other channels back. Needs the built-in tables (not DIRECTORY_USER_QUERY).',
  }),
  IDENTITY_PROVIDERS_ALLOW_HTTP: service('identity', flag(false), {
    description:
      'In production every identity provider URL (OIDC_ISSUER, JWT_JWKS_URI, INTROSPECTION_URL, FORWARD_AUTH_URL) must be https://, or on loopback: its answer decides who the caller is. true accepts plain http:// inside a network you trust.',
  }),

  CHANNEL_POLICY_FILE: service('channels', optionalText, {
    description:
      'Channel policy rules (YAML or JSON) added to the built-in rule, which lets each user into private-user-<id> and private-encrypted-user-<id> only. Grants stored in the directory add to both. Checked at start-up: a file that cannot be read or parsed stops the service. See docs/channel-policy.md.',
    default: 'none (the built-in rule and directory grants only)',
    values: 'a file path',
    example: './channel-policy.yaml',
  }),
  CHANNEL_DATA_URL: service(
    'channels',
    optionalText.pipe(
      z
        .string()
        .regex(
          /^(postgres(ql)?:\/\/|sqlite:\/\/).+/,
          'must be a postgres:// or sqlite:// URL',
        )
        .optional(),
    ),
    {
      description:
        "Where the policy's sql relations run. See docs/channel-policy.md.",
      default: "the directory's own database",
      values: 'postgres://... or sqlite://<file>',
      secret: true,
    },
  ),
  CHANNEL_RELATION_TIMEOUT_MS: service('channels', integer(2_000, 50, 30_000), {
    description: 'Statement timeout of an sql relation on PostgreSQL, in ms.',
  }),
  CHANNEL_RELATION_CACHE_TTL_MS: service(
    'channels',
    integer(10_000, 0, 86_400_000),
    {
      description:
        "How long a relation's answer is reused, in ms (0: not at all).",
    },
  ),

  CORS_ORIGINS: service('browser', list, {
    description:
      'Exact origins allowed cross-origin, comma separated (no wildcards).',
    default: 'none (no cross-origin access)',
    values: 'a comma-separated list of origins',
    example: 'https://app.example.com,https://admin.example.com',
  }),
  JSONP_ENABLED: service('browser', flag(false), {
    description:
      'Serve the JSONP variant (GET) of the user-auth and channel-auth endpoints.',
  }),
  RATE_LIMIT_PER_IP: service('rate-limits', integer(600, 0, 1_000_000), {
    description:
      'Requests per minute per client address (0: off), failed sign-ins included.',
  }),
  RATE_LIMIT_PER_USER: service('rate-limits', integer(120, 0, 1_000_000), {
    description: 'Requests per minute per identified user (0: off).',
  }),
  REDIS_URL: service(
    'rate-limits',
    optionalText.pipe(
      z
        .string()
        .regex(/^rediss?:\/\/.+/, 'must start with redis:// or rediss://')
        .optional(),
    ),
    {
      description:
        'Shared rate-limit budget across replicas. Without it each process counts alone. When Redis is unreachable each replica falls back to its own budget.',
      values: 'redis://... or rediss://...',
      secret: true,
      example: 'redis://localhost:6379',
    },
  ),
  RATE_LIMIT_MAX_KEYS: service(
    'rate-limits',
    integer(100_000, 100, 1_000_000),
    {
      description:
        'Most rate-limit counters (client addresses plus users) one process keeps in memory, alone or as the fallback budget while Redis is down. Past it the least recently used counter is dropped (its budget restarts) and counted in pusher_auth_cache_evictions_total{cache="rate_limit"}. About 34 MB at the default.',
    },
  ),
  REDIS_BREAKER_COOLDOWN_MS: service(
    'rate-limits',
    integer(5_000, 100, 600_000),
    {
      description:
        "After a Redis command fails (or times out), how long rate limits leave Redis alone and use each replica's own budget before one background probe asks again, in ms.",
    },
  ),
  REDIS_KEY_PREFIX: service(
    'rate-limits',
    optionalText
      .transform((value) => value ?? 'pusher-auth:')
      .pipe(
        z
          .string()
          .regex(
            /^[A-Za-z0-9_\-.:{}]{1,64}$/,
            'must be 1-64 characters of A-Z a-z 0-9 _ - . : { }',
          ),
      ),
    {
      description:
        'Prefix of every Redis key, so several deployments can share one Redis.',
      values: '1-64 characters of A-Z a-z 0-9 _ - . : { }',
    },
  ),
  TRUST_PROXY: service('rate-limits', optionalText, {
    description:
      "Take the client address from X-Forwarded-For: true (trust every hop: only when nothing but your load balancer can reach the service), a hop count, or the load balancers' addresses/CIDR ranges.",
    default: 'false',
    example: 'false',
    values:
      '`false`, `true`, a hop count, or a comma-separated list of addresses/CIDR ranges',
  }),
  HTTP_REQUEST_TIMEOUT_MS: service('http', integer(10_000, 100, 300_000), {
    description:
      'How long a client may take to send a whole request (headers and body), in ms, counted from its first byte (a new connection must start sending within it too); then 408 and the connection is closed.',
  }),
  HTTP_MAX_CONNECTIONS: service('http', integer(10_000, 1, 1_000_000), {
    description:
      'Most connections open at once, idle keep-alive ones included; past it each new connection is closed as it arrives (counted in pusher_auth_connections_dropped_total). Keep it below `ulimit -n`.',
  }),
  SHUTDOWN_DELAY_MS: service('shutdown', integer(0, 0, 300_000), {
    description:
      'After SIGTERM, how long readiness answers 503 before the listener closes, in ms.',
  }),
  SHUTDOWN_TIMEOUT_MS: service('shutdown', integer(10_000, 100, 300_000), {
    description:
      'Then, how long in-flight requests may take before the process exits anyway (exit 1), in ms.',
  }),
  LOG_LEVEL: service(
    'logging',
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message:
          'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional()
      .transform((value) => value ?? 'info'),
    {
      description:
        'pino level. Caller-chosen values (user ids, user agents, URLs, ...) are cut to 256 characters in log lines, marked "…[truncated N chars]".',
      values: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    },
  ),
  LOG_FORMAT: service(
    'logging',
    z
      .enum(['auto', 'json', 'pretty'], {
        message: 'must be one of auto, json, pretty',
      })
      .optional()
      .transform((value) => value ?? 'auto'),
    {
      description:
        "How log lines are written on stdout: `json` (one JSON object per line, for log collectors), `pretty` (one line for people: time, level, message, and a request's method, path, status and duration), or `auto`: `pretty` when stdout is a terminal and NODE_ENV is not production, `json` otherwise.",
      values: '`auto`, `json` or `pretty`',
    },
  ),
});

export type Env = z.infer<typeof envSchema>;
