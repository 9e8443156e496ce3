import { z } from 'zod';
import {
  flag,
  integer,
  list,
  optionalHttpUrl,
  optionalText,
} from '../plugin/settings';

export { flag, integer, list, optionalHttpUrl, optionalText };

/**
 * The environment variables this service reads, as the contract names them; each strategy's own
 * are parsed beside it (`src/auth/<name>/<name>.settings.ts`), only when it is enabled.
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

export const envSchema = z.object({
  NODE_ENV: optionalText,
  PORT: integer(3000, 0, 65535),
  HOST: optionalText.transform((value) => value ?? '0.0.0.0'),

  PUSHER_APP_ID: optionalText,
  PUSHER_KEY: optionalText,
  PUSHER_SECRET: optionalText,
  PUSHER_CLUSTER: optionalText,
  PUSHER_HOST: optionalText,
  PUSHER_PORT: integer(0, 0, 65535),
  PUSHER_USE_TLS: flag(true),
  PUSHER_ENCRYPTION_MASTER_KEY_BASE64: optionalText,
  PUSHER_APPS_FILE: optionalText,
  PUSHER_USER_AUTH_PATH: endpointPath('/pusher/user-auth'),
  PUSHER_CHANNEL_AUTH_PATH: endpointPath('/pusher/auth'),

  AUTH_STRATEGIES: list,
  PLUGINS: list,

  DIRECTORY_URL: optionalText.transform(
    (value) => value ?? 'sqlite://./data/directory.db',
  ),
  DIRECTORY_UNKNOWN_USERS: z
    .enum(['deny', 'claims'], { message: 'must be deny or claims' })
    .optional()
    .transform((value) => value ?? 'deny'),
  DIRECTORY_CACHE_TTL_MS: integer(30_000, 0, 86_400_000),
  DIRECTORY_CACHE_MAX_USERS: integer(50_000, 1, 10_000_000),
  WATCHLIST_MAX: integer(100, 0, 10_000),
  USER_INFO_MAX_BYTES: integer(1024, 2, 1_048_576),
  DIRECTORY_USER_QUERY: optionalText,
  DIRECTORY_WATCHLIST_QUERY: optionalText,
  DIRECTORY_STALE_IF_ERROR_MS: integer(0, 0, 86_400_000),
  TERMINATE_ON_REMOVE: flag(false),
  TERMINATE_ON_REVOKE: flag(false),
  IDENTITY_PROVIDERS_ALLOW_HTTP: flag(false),

  CHANNEL_POLICY_FILE: optionalText,
  CHANNEL_DATA_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^(postgres(ql)?:\/\/|sqlite:\/\/).+/,
        'must be a postgres:// or sqlite:// URL',
      )
      .optional(),
  ),
  CHANNEL_RELATION_TIMEOUT_MS: integer(2_000, 50, 30_000),
  CHANNEL_RELATION_CACHE_TTL_MS: integer(10_000, 0, 86_400_000),

  CORS_ORIGINS: list,
  JSONP_ENABLED: flag(false),
  RATE_LIMIT_PER_IP: integer(600, 0, 1_000_000),
  RATE_LIMIT_PER_USER: integer(120, 0, 1_000_000),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/.+/, 'must start with redis:// or rediss://')
      .optional(),
  ),
  RATE_LIMIT_MAX_KEYS: integer(100_000, 100, 1_000_000),
  REDIS_BREAKER_COOLDOWN_MS: integer(5_000, 100, 600_000),
  REDIS_KEY_PREFIX: optionalText
    .transform((value) => value ?? 'pusher-auth:')
    .pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_\-.:{}]{1,64}$/,
          'must be 1-64 characters of A-Z a-z 0-9 _ - . : { }',
        ),
    ),
  TRUST_PROXY: optionalText,
  HTTP_REQUEST_TIMEOUT_MS: integer(10_000, 100, 300_000),
  HTTP_MAX_CONNECTIONS: integer(10_000, 1, 1_000_000),
  SHUTDOWN_DELAY_MS: integer(0, 0, 300_000),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, 100, 300_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional()
    .transform((value) => value ?? 'info'),
});

export type Env = z.infer<typeof envSchema>;
