import { z } from 'zod';
import {
  checkProviderUrl,
  isExactOrigin,
} from '../../config/strategy-settings';
import type { BootContext } from '../../plugin/plugin-context';
import {
  integer,
  list,
  optionalHttpUrl,
  optionalText,
  required,
} from '../../plugin/settings';
import { documented } from '../../plugin/setting-doc';

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
export interface ForwardAuthSettings {
  /** `FORWARD_AUTH_URL`: asked with the caller's `Cookie` and `Authorization`. Required. */
  readonly url: string;
  /** `FORWARD_AUTH_METHOD`: `GET` or `POST` (without a body). @default 'GET' */
  readonly method: 'GET' | 'POST';
  /**
   * `FORWARD_AUTH_USER_HEADER` (a response header) or `FORWARD_AUTH_USER_FIELD` (a JSON body
   * field, dots for nesting). @default { from: 'json', path: ['id'] }
   */
  readonly user: ForwardAuthUserSource;
  /** `FORWARD_AUTH_TIMEOUT_MS`: limit on one upstream call. @default 3000 */
  readonly timeoutMs: number;
  /** `FORWARD_AUTH_ALLOWED_ORIGINS`: `Origin`s a cookie-authenticated POST may come from. @default CORS_ORIGINS */
  readonly allowedOrigins: readonly string[];
  /** `FORWARD_AUTH_CSRF` and `FORWARD_AUTH_CSRF_COOKIE`. @default { mode: 'double-submit', cookie: 'XSRF-TOKEN' } */
  readonly csrf: ForwardAuthCsrf;
}

/** RFC 9110 token characters: what a header or cookie name may hold. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
const name = (what: string) =>
  optionalText.pipe(
    z.string().regex(NAME, `must be a plain ${what} name`).optional(),
  );

/** The `forward-auth` strategy's variables. */
export const FORWARD_AUTH_SCHEMA = z.object({
  FORWARD_AUTH_URL: documented(required(optionalHttpUrl), {
    description:
      "Required with AUTH_STRATEGIES=...,forward-auth: your app's session endpoint, asked with the caller's Cookie and Authorization headers.",
    example: 'http://app.internal:8080/auth/session',
  }),
  FORWARD_AUTH_METHOD: documented(
    z
      .enum(['GET', 'POST'], { message: 'must be GET or POST' })
      .optional()
      .transform((value) => value ?? 'GET'),
    {
      description: 'How the session endpoint is asked (POST without a body).',
      values: '`GET` or `POST`',
    },
  ),
  FORWARD_AUTH_USER_HEADER: documented(name('header'), {
    description:
      'Where a 2xx answer names the user: a response header (not with FORWARD_AUTH_USER_FIELD).',
    values: 'a header name',
    example: 'X-Auth-User',
  }),
  FORWARD_AUTH_USER_FIELD: documented(
    optionalText.pipe(
      z
        .string()
        .regex(
          /^[^.\s]+(\.[^.\s]+)*$/,
          'must be a field name, dots for nesting',
        )
        .optional(),
    ),
    {
      description:
        'Where a 2xx answer names the user: a JSON body field, dots for nesting (not with FORWARD_AUTH_USER_HEADER).',
      default: 'id',
      values: 'a field name, dots for nesting',
      example: 'id',
    },
  ),
  FORWARD_AUTH_TIMEOUT_MS: documented(integer(3_000, 100, 60_000), {
    description: 'Limit on one call, in ms.',
  }),
  FORWARD_AUTH_ALLOWED_ORIGINS: documented(
    list.superRefine((origins, ctx) => {
      for (const origin of origins.filter((origin) => !isExactOrigin(origin))) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin}" is not an exact origin like https://app.example.com (no wildcards, paths or "null")`,
        });
      }
    }),
    {
      description:
        "Exact origins a cookie-authenticated sign-in may come from (your app's origin); this or CORS_ORIGINS is required.",
      default: 'CORS_ORIGINS',
      values: 'a comma-separated list of origins',
      example: 'https://app.example.com',
    },
  ),
  FORWARD_AUTH_CSRF: documented(
    z
      .enum(['double-submit', 'forward'], {
        message: 'must be double-submit or forward',
      })
      .optional()
      .transform((value) => value ?? 'double-submit'),
    {
      description:
        'CSRF defence for cookie callers: double-submit (X-CSRF-Token must equal the cookie FORWARD_AUTH_CSRF_COOKIE) or forward (X-CSRF-Token goes to your app to check).',
      values: '`double-submit` or `forward`',
    },
  ),
  FORWARD_AUTH_CSRF_COOKIE: documented(
    name('cookie').transform((value) => value ?? 'XSRF-TOKEN'),
    {
      description: 'The cookie double-submit compares X-CSRF-Token with.',
      values: 'a cookie name',
    },
  ),
});

export type ForwardAuthVariables = z.output<typeof FORWARD_AUTH_SCHEMA>;

/** The settings, or undefined with every problem appended to `problems`. */
export function buildForwardAuthSettings(
  vars: ForwardAuthVariables,
  boot: BootContext,
  problems: string[],
): ForwardAuthSettings | undefined {
  const allowedOrigins = readAllowedOrigins(
    vars.FORWARD_AUTH_ALLOWED_ORIGINS,
    boot,
    problems,
  );
  checkProviderUrl('FORWARD_AUTH_URL', vars.FORWARD_AUTH_URL, boot, problems);
  if (vars.FORWARD_AUTH_USER_HEADER && vars.FORWARD_AUTH_USER_FIELD) {
    problems.push(
      'set FORWARD_AUTH_USER_HEADER or FORWARD_AUTH_USER_FIELD, not both',
    );
  }
  if (!allowedOrigins) return undefined;
  return {
    url: vars.FORWARD_AUTH_URL,
    method: vars.FORWARD_AUTH_METHOD,
    user: vars.FORWARD_AUTH_USER_HEADER
      ? { from: 'header', name: vars.FORWARD_AUTH_USER_HEADER.toLowerCase() }
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
  };
}

/** Cookies ride along on any cross-site form post: without a known origin nothing is safe. */
function readAllowedOrigins(
  configured: string[],
  boot: BootContext,
  problems: string[],
): readonly string[] | undefined {
  const origins = configured.length > 0 ? configured : boot.corsOrigins;
  if (origins.length === 0) {
    problems.push(
      "forward-auth needs the origins allowed to send cookie-authenticated requests: set FORWARD_AUTH_ALLOWED_ORIGINS (or CORS_ORIGINS) to your app's origin",
    );
    return undefined;
  }
  return origins;
}
