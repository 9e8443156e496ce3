import { z } from 'zod';
import {
  integer,
  list,
  optionalHttpUrl,
  optionalText,
} from '../../config/env.schema';
import {
  isExactOrigin,
  parseEnvSection,
  RawEnv,
  SharedSettings,
  StrategySettings,
  StrategySettingsReader,
  checkProviderUrl,
} from '../../config/strategy-settings';

/** Where a 2xx session answer names the user. */
export type ForwardAuthUserSource =
  { from: 'header'; name: string } | { from: 'json'; path: string[] };

/**
 * How a cookie-authenticated POST proves it came from the app's own page: `double-submit`
 * compares `X-CSRF-Token` with a cookie; `forward` passes it to the session upstream to check.
 */
export type ForwardAuthCsrf =
  { mode: 'double-submit'; cookie: string } | { mode: 'forward' };

/** Settings of the `forward-auth` strategy (session-cookie apps, like nginx `auth_request`). */
export class ForwardAuthSettings extends StrategySettings<ForwardAuthSettings> {
  /** `FORWARD_AUTH_URL`: asked with the caller's `Cookie` and `Authorization`. Required. */
  declare readonly url: string;
  /** `FORWARD_AUTH_METHOD`: `GET` or `POST` (without a body). @default 'GET' */
  declare readonly method: 'GET' | 'POST';
  /**
   * `FORWARD_AUTH_USER_HEADER` (a response header) or `FORWARD_AUTH_USER_FIELD` (a JSON body
   * field, dots for nesting). @default { from: 'json', path: ['id'] }
   */
  declare readonly user: ForwardAuthUserSource;
  /** `FORWARD_AUTH_TIMEOUT_MS`: limit on one upstream call. @default 3000 */
  declare readonly timeoutMs: number;
  /** `FORWARD_AUTH_ALLOWED_ORIGINS`: `Origin`s a cookie-authenticated POST may come from. @default CORS_ORIGINS */
  declare readonly allowedOrigins: readonly string[];
  /** `FORWARD_AUTH_CSRF` and `FORWARD_AUTH_CSRF_COOKIE`. @default { mode: 'double-submit', cookie: 'XSRF-TOKEN' } */
  declare readonly csrf: ForwardAuthCsrf;
}

/** RFC 9110 token characters: what a header or cookie name may hold. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
const name = (what: string) =>
  optionalText.pipe(
    z.string().regex(NAME, `must be a plain ${what} name`).optional(),
  );

const schema = z.object({
  FORWARD_AUTH_URL: optionalHttpUrl,
  FORWARD_AUTH_METHOD: z
    .enum(['GET', 'POST'], { message: 'must be GET or POST' })
    .optional()
    .transform((value) => value ?? 'GET'),
  FORWARD_AUTH_USER_HEADER: name('header'),
  FORWARD_AUTH_USER_FIELD: optionalText.pipe(
    z
      .string()
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a field name, dots for nesting')
      .optional(),
  ),
  FORWARD_AUTH_TIMEOUT_MS: integer(3_000, 100, 60_000),
  FORWARD_AUTH_ALLOWED_ORIGINS: list,
  FORWARD_AUTH_CSRF: z
    .enum(['double-submit', 'forward'], {
      message: 'must be double-submit or forward',
    })
    .optional()
    .transform((value) => value ?? 'double-submit'),
  FORWARD_AUTH_CSRF_COOKIE: name('cookie').transform(
    (value) => value ?? 'XSRF-TOKEN',
  ),
});

export const FORWARD_AUTH_SETTINGS: StrategySettingsReader<ForwardAuthSettings> =
  {
    token: ForwardAuthSettings,
    read(env: RawEnv, shared: SharedSettings, problems: string[]) {
      if (!env.FORWARD_AUTH_URL?.trim()) {
        problems.push(
          'FORWARD_AUTH_URL is required by the forward-auth strategy',
        );
      }
      const vars = parseEnvSection(schema, env, problems);
      const allowedOrigins = readAllowedOrigins(
        list.parse(env.FORWARD_AUTH_ALLOWED_ORIGINS),
        shared,
        problems,
      );
      if (!vars) return undefined;
      checkProviderUrl(
        'FORWARD_AUTH_URL',
        vars.FORWARD_AUTH_URL,
        shared,
        problems,
      );
      if (vars.FORWARD_AUTH_USER_HEADER && vars.FORWARD_AUTH_USER_FIELD) {
        problems.push(
          'set FORWARD_AUTH_USER_HEADER or FORWARD_AUTH_USER_FIELD, not both',
        );
      }
      if (!vars.FORWARD_AUTH_URL || !allowedOrigins) return undefined;
      return new ForwardAuthSettings({
        url: vars.FORWARD_AUTH_URL,
        method: vars.FORWARD_AUTH_METHOD,
        user: vars.FORWARD_AUTH_USER_HEADER
          ? {
              from: 'header',
              name: vars.FORWARD_AUTH_USER_HEADER.toLowerCase(),
            }
          : {
              from: 'json',
              path: (vars.FORWARD_AUTH_USER_FIELD ?? 'id').split('.'),
            },
        timeoutMs: vars.FORWARD_AUTH_TIMEOUT_MS,
        allowedOrigins,
        csrf:
          vars.FORWARD_AUTH_CSRF === 'forward'
            ? { mode: 'forward' }
            : { mode: 'double-submit', cookie: vars.FORWARD_AUTH_CSRF_COOKIE },
      });
    },
  };

/** Cookies ride along on any cross-site form post: without a known origin nothing is safe. */
function readAllowedOrigins(
  configured: string[],
  shared: SharedSettings,
  problems: string[],
): readonly string[] | undefined {
  const origins = configured.length > 0 ? configured : shared.corsOrigins;
  if (origins.length === 0) {
    problems.push(
      "forward-auth needs the origins allowed to send cookie-authenticated requests: set FORWARD_AUTH_ALLOWED_ORIGINS (or CORS_ORIGINS) to your app's origin",
    );
    return undefined;
  }
  const bad = configured.filter((origin) => !isExactOrigin(origin));
  for (const origin of bad) {
    problems.push(
      `FORWARD_AUTH_ALLOWED_ORIGINS: "${origin}" is not an exact origin like https://app.example.com (no wildcards, paths or "null")`,
    );
  }
  return bad.length > 0 ? undefined : origins;
}
