import { z } from 'zod';
import {
  integer,
  optionalHttpUrl,
  optionalText,
} from '../../config/env.schema';
import {
  parseEnvSection,
  RawEnv,
  StrategySettings,
  StrategySettingsReader,
  checkProviderUrl,
} from '../../config/strategy-settings';

/** Settings of the `introspection` strategy (RFC 7662, opaque access tokens). */
export class IntrospectionSettings extends StrategySettings<IntrospectionSettings> {
  /** `INTROSPECTION_URL`: the token introspection endpoint. Required. */
  declare readonly url: string;
  /** `INTROSPECTION_CLIENT_ID`: this service's client at the authorization server. Required. */
  declare readonly clientId: string;
  /** `INTROSPECTION_CLIENT_SECRET`: sent with the id as HTTP Basic credentials. Required. */
  declare readonly clientSecret: string;
  /** `INTROSPECTION_USER_ID_FIELD`: the answer's field naming the user. @default 'sub' */
  declare readonly userIdField: string;
  /** `INTROSPECTION_CACHE_TTL_MS`: reuse of an `active` answer, never past its `exp`. @default 60000 */
  declare readonly cacheTtlMs: number;
  /** `INTROSPECTION_NEGATIVE_CACHE_TTL_MS`: reuse of an `active: false` answer. @default 5000 */
  declare readonly negativeCacheTtlMs: number;
  /** `INTROSPECTION_TIMEOUT_MS`: limit on one introspection call. @default 5000 */
  declare readonly timeoutMs: number;
}

const schema = z.object({
  INTROSPECTION_URL: optionalHttpUrl,
  INTROSPECTION_CLIENT_ID: optionalText,
  INTROSPECTION_CLIENT_SECRET: optionalText,
  INTROSPECTION_USER_ID_FIELD: optionalText.transform(
    (value) => value ?? 'sub',
  ),
  INTROSPECTION_CACHE_TTL_MS: integer(60_000, 0, 86_400_000),
  INTROSPECTION_NEGATIVE_CACHE_TTL_MS: integer(5_000, 0, 3_600_000),
  INTROSPECTION_TIMEOUT_MS: integer(5_000, 100, 60_000),
});

const REQUIRED = [
  'INTROSPECTION_URL',
  'INTROSPECTION_CLIENT_ID',
  'INTROSPECTION_CLIENT_SECRET',
] as const;

export const INTROSPECTION_SETTINGS: StrategySettingsReader<IntrospectionSettings> =
  {
    token: IntrospectionSettings,
    read(env: RawEnv, shared, problems) {
      const missing = REQUIRED.filter((name) => !env[name]?.trim());
      for (const name of missing) {
        problems.push(`${name} is required by the introspection strategy`);
      }
      const vars = parseEnvSection(schema, env, problems);
      if (!vars || missing.length > 0) return undefined;
      checkProviderUrl(
        'INTROSPECTION_URL',
        vars.INTROSPECTION_URL,
        shared,
        problems,
      );
      return new IntrospectionSettings({
        url: vars.INTROSPECTION_URL!,
        clientId: vars.INTROSPECTION_CLIENT_ID!,
        clientSecret: vars.INTROSPECTION_CLIENT_SECRET!,
        userIdField: vars.INTROSPECTION_USER_ID_FIELD,
        cacheTtlMs: vars.INTROSPECTION_CACHE_TTL_MS,
        negativeCacheTtlMs: vars.INTROSPECTION_NEGATIVE_CACHE_TTL_MS,
        timeoutMs: vars.INTROSPECTION_TIMEOUT_MS,
      });
    },
  };
