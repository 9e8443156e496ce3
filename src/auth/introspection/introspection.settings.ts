import { z } from 'zod';
import { checkProviderUrl } from '../../config/strategy-settings';
import type { BootContext } from '../../plugin/plugin-context';
import {
  integer,
  optionalHttpUrl,
  optionalText,
  required,
} from '../../plugin/settings';
import { documented } from '../../plugin/setting-doc';

/** Settings of the `introspection` strategy (RFC 7662, opaque access tokens). */
export interface IntrospectionSettings {
  /** `INTROSPECTION_URL`: the token introspection endpoint. Required. */
  readonly url: string;
  /** `INTROSPECTION_CLIENT_ID`: this service's client at the authorization server. Required. */
  readonly clientId: string;
  /** `INTROSPECTION_CLIENT_SECRET`: sent with the id as HTTP Basic credentials. Required. */
  readonly clientSecret: string;
  /** `INTROSPECTION_USER_ID_FIELD`: the answer's field naming the user. @default 'sub' */
  readonly userIdField: string;
  /** `INTROSPECTION_CACHE_TTL_MS`: reuse of an `active` answer, never past its `exp`. @default 60000 */
  readonly cacheTtlMs: number;
  /** `INTROSPECTION_NEGATIVE_CACHE_TTL_MS`: reuse of an `active: false` answer. @default 5000 */
  readonly negativeCacheTtlMs: number;
  /** `INTROSPECTION_TIMEOUT_MS`: limit on one introspection call. @default 5000 */
  readonly timeoutMs: number;
}

/** The `introspection` strategy's variables. */
export const INTROSPECTION_SCHEMA = z
  .object({
    INTROSPECTION_URL: documented(required(optionalHttpUrl), {
      description: 'The introspection endpoint.',
      example:
        'https://login.example.com/realms/acme/protocol/openid-connect/token/introspect',
    }),
    INTROSPECTION_CLIENT_ID: documented(required(optionalText), {
      description: "This service's client id at the authorization server.",
      example: 'pusher-auth',
    }),
    INTROSPECTION_CLIENT_SECRET: documented(required(optionalText), {
      description: "This service's client secret at the authorization server.",
      secret: true,
    }),
    INTROSPECTION_USER_ID_FIELD: documented(
      optionalText.transform((value) => value ?? 'sub'),
      { description: 'Field of the answer naming the user.' },
    ),
    INTROSPECTION_CACHE_TTL_MS: documented(integer(60_000, 0, 86_400_000), {
      description:
        "Reuse of an active answer, in ms, never past the token's exp.",
    }),
    INTROSPECTION_NEGATIVE_CACHE_TTL_MS: documented(
      integer(5_000, 0, 3_600_000),
      { description: 'Reuse of an inactive answer, in ms.' },
    ),
    INTROSPECTION_TIMEOUT_MS: documented(integer(5_000, 100, 60_000), {
      description: 'Limit on one introspection call, in ms.',
    }),
  })
  .meta({
    description:
      "Required with AUTH_STRATEGIES=...,introspection: the endpoint and this service's client credentials (sent as HTTP Basic).",
  });

export type IntrospectionVariables = z.output<typeof INTROSPECTION_SCHEMA>;

/** The settings, or undefined with every problem appended to `problems`. */
export function buildIntrospectionSettings(
  vars: IntrospectionVariables,
  boot: BootContext,
  problems: string[],
): IntrospectionSettings | undefined {
  checkProviderUrl('INTROSPECTION_URL', vars.INTROSPECTION_URL, boot, problems);
  return {
    url: vars.INTROSPECTION_URL,
    clientId: vars.INTROSPECTION_CLIENT_ID,
    clientSecret: vars.INTROSPECTION_CLIENT_SECRET,
    userIdField: vars.INTROSPECTION_USER_ID_FIELD,
    cacheTtlMs: vars.INTROSPECTION_CACHE_TTL_MS,
    negativeCacheTtlMs: vars.INTROSPECTION_NEGATIVE_CACHE_TTL_MS,
    timeoutMs: vars.INTROSPECTION_TIMEOUT_MS,
  };
}
