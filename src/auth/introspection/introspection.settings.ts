import { z } from 'zod';
import { checkProviderUrl } from '../../config/strategy-settings';
import type { BootContext } from '../../plugin/plugin-context';
import {
  integer,
  optionalHttpUrl,
  optionalText,
  required,
} from '../../plugin/settings';

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
export const INTROSPECTION_SCHEMA = z.object({
  INTROSPECTION_URL: required(optionalHttpUrl),
  INTROSPECTION_CLIENT_ID: required(optionalText),
  INTROSPECTION_CLIENT_SECRET: required(optionalText),
  INTROSPECTION_USER_ID_FIELD: optionalText.transform(
    (value) => value ?? 'sub',
  ),
  INTROSPECTION_CACHE_TTL_MS: integer(60_000, 0, 86_400_000),
  INTROSPECTION_NEGATIVE_CACHE_TTL_MS: integer(5_000, 0, 3_600_000),
  INTROSPECTION_TIMEOUT_MS: integer(5_000, 100, 60_000),
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
