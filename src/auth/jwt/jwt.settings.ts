import { z } from 'zod';
import { checkProviderUrl } from '../../config/strategy-settings';
import type { BootContext } from '../../plugin/plugin-context';
import {
  integer,
  list,
  optionalHttpUrl,
  optionalText,
} from '../../plugin/settings';
import { readRemoteKeys, RemoteJwtKeys } from './remote-keys.settings';
import { readStaticKey, StaticJwtKey } from './static-key.settings';

/** Settings of the `jwt` strategy: one key source, and the claims every token must carry. */
export interface JwtSettings {
  /** A key configured at boot, or the identity provider's published keys: never both. */
  readonly keys: StaticJwtKey | RemoteJwtKeys;
  /** `JWT_AUDIENCE`: the token must name one of them when set. @default [] (not checked) */
  readonly audience: string[];
  /** `JWT_AUDIENCE_CLAIM`: the claim holding the audience (Cognito access tokens: `client_id`). @default 'aud' */
  readonly audienceClaim: string;
  /** `JWT_CLOCK_TOLERANCE_S` @default 30 */
  readonly clockToleranceS: number;
  /** `JWT_USER_ID_CLAIM` @default 'sub' */
  readonly userIdClaim: string;
  /** `JWT_QUERY_PARAM`: the query/body parameter that may carry the token (the only way JSONP authenticates). */
  readonly queryParam?: string;
}

/** The `jwt` strategy's variables. */
export const JWT_SCHEMA = z.object({
  JWT_SECRET: optionalText,
  JWT_PUBLIC_KEY: optionalText,
  JWT_ALGORITHMS: list,
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: list,
  JWT_CLOCK_TOLERANCE_S: integer(30, 0, 3600),
  JWT_USER_ID_CLAIM: optionalText.transform((value) => value ?? 'sub'),
  JWT_JWKS_URI: optionalHttpUrl,
  OIDC_ISSUER: optionalHttpUrl,
  JWT_AUDIENCE_CLAIM: optionalText.transform((value) => value ?? 'aud'),
  JWT_JWKS_TIMEOUT_MS: integer(5_000, 100, 60_000),
  JWT_JWKS_CACHE_TTL_MS: integer(600_000, 1_000, 86_400_000),
  JWT_JWKS_COOLDOWN_MS: integer(30_000, 100, 3_600_000),
  JWT_QUERY_PARAM: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain parameter name')
      .optional(),
  ),
});

/** The `jwt` strategy's variables, parsed. */
export type JwtVariables = z.output<typeof JWT_SCHEMA>;

/** The settings, or undefined with every problem appended to `problems`. */
export function buildJwtSettings(
  vars: JwtVariables,
  boot: BootContext,
  problems: string[],
): JwtSettings | undefined {
  checkProviderUrl('OIDC_ISSUER', vars.OIDC_ISSUER, boot, problems);
  checkProviderUrl('JWT_JWKS_URI', vars.JWT_JWKS_URI, boot, problems);
  const keys =
    vars.JWT_JWKS_URI || vars.OIDC_ISSUER
      ? readRemoteKeys(vars, problems)
      : readStaticKey(vars, boot, problems);
  if (!keys) return undefined;
  return {
    keys,
    audience: vars.JWT_AUDIENCE,
    audienceClaim: vars.JWT_AUDIENCE_CLAIM,
    clockToleranceS: vars.JWT_CLOCK_TOLERANCE_S,
    userIdClaim: vars.JWT_USER_ID_CLAIM,
    queryParam: vars.JWT_QUERY_PARAM,
  };
}
