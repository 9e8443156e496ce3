import { z } from 'zod';

/**
 * The environment variables this service reads, as the contract names them; each strategy's own
 * are parsed beside it (`src/auth/<name>/<name>.settings.ts`), only when it is enabled.
 */

export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      message: 'must be true or false',
    })
    .optional()
    .transform((value) =>
      value === undefined ? fallback : ['true', '1', 'yes'].includes(value),
    );

export const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be an integer from ${min} to ${max}`,
        });
        return z.NEVER;
      }
      return parsed;
    });

export const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

export const optionalText = z
  .string()
  .optional()
  .transform((value) =>
    value === undefined || value.trim() === '' ? undefined : value,
  );

/**
 * An identity provider's endpoint. Never echoes the value in a message: a URL may carry secrets.
 * Credentials belong in their own settings, not in `user:password@`.
 */
export const optionalHttpUrl = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const problem = httpUrlProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return value;
});

function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must be an http:// or https:// URL';
  }
  if (url.username || url.password) {
    return 'must not carry credentials (user:password@); use the dedicated settings';
  }
  if (url.hash) return 'must not have a #fragment';
  return undefined;
}

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
  IDENTITY_PROVIDERS_ALLOW_HTTP: flag(false),

  CHANNEL_POLICY_FILE: optionalText,

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
