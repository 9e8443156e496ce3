import { z } from 'zod';

/** The environment variables this service reads, as the contract names them. */

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      message: 'must be true or false',
    })
    .optional()
    .transform((value) =>
      value === undefined ? fallback : ['true', '1', 'yes'].includes(value),
    );

const integer = (fallback: number, min: number, max: number) =>
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

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) =>
    value === undefined || value.trim() === '' ? undefined : value,
  );

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
  PUSHER_USER_AUTH_PATH: endpointPath('/pusher/user-auth'),
  PUSHER_CHANNEL_AUTH_PATH: endpointPath('/pusher/auth'),

  AUTH_STRATEGIES: list,
  JWT_SECRET: optionalText,
  JWT_PUBLIC_KEY: optionalText,
  JWT_ALGORITHMS: list,
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: list,
  JWT_CLOCK_TOLERANCE_S: integer(30, 0, 3600),
  JWT_USER_ID_CLAIM: optionalText.transform((value) => value ?? 'sub'),
  JWT_QUERY_PARAM: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain parameter name')
      .optional(),
  ),

  DIRECTORY_URL: optionalText.transform(
    (value) => value ?? 'sqlite://./data/directory.db',
  ),
  DIRECTORY_UNKNOWN_USERS: z
    .enum(['deny', 'claims'], { message: 'must be deny or claims' })
    .optional()
    .transform((value) => value ?? 'deny'),
  DIRECTORY_CACHE_TTL_MS: integer(30_000, 0, 86_400_000),
  WATCHLIST_MAX: integer(100, 0, 10_000),
  USER_INFO_MAX_BYTES: integer(1024, 2, 1_048_576),
  DIRECTORY_USER_QUERY: optionalText,
  DIRECTORY_WATCHLIST_QUERY: optionalText,
  DIRECTORY_STALE_IF_ERROR_MS: integer(0, 0, 86_400_000),
  TERMINATE_ON_REMOVE: flag(false),

  CORS_ORIGINS: list,
  JSONP_ENABLED: flag(false),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional()
    .transform((value) => value ?? 'info'),
});

export type Env = z.infer<typeof envSchema>;
