import { z } from 'zod';
import { checkProviderUrl } from '../../config/strategy-settings';
import type { BootContext } from '../../plugin/plugin-context';
import {
  integer,
  list,
  optionalHttpUrl,
  optionalText,
} from '../../plugin/settings';
import { documented } from '../../plugin/setting-doc';
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

const REMOTE_KEYS =
  'Remote keys from your identity provider, with rotation: either OIDC_ISSUER or JWT_JWKS_URI with JWT_ISSUER; JWT_AUDIENCE is then required. In production both must be https:// (see IDENTITY_PROVIDERS_ALLOW_HTTP).';

/** The `jwt` strategy's variables. */
export const JWT_SCHEMA = z
  .object({
    JWT_SECRET: documented(optionalText, {
      description:
        "HS256/384/512 shared secret, at least 32 bytes (shorter secrets are refused). The example's is a development secret, fine on your machine. CHANGE IN PRODUCTION (it is refused there): use the secret your backend signs its tokens with, or generate one with `node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\"`.",
      values: 'at least 32 bytes',
      secret: true,
      example: 'local-development-secret-CHANGE-IN-PRODUCTION',
      local: true,
    }),
    JWT_PUBLIC_KEY: documented(optionalText, {
      description:
        'PEM public key or certificate (RS*, PS*, ES*, EdDSA). In a .env file put it on one line with literal \\n sequences.',
      values: 'a PEM public key or certificate',
      example:
        '"-----BEGIN PUBLIC KEY-----\\nMIIBIjANBg...\\n-----END PUBLIC KEY-----"',
    }),
    JWT_ALGORITHMS: documented(list, {
      description:
        'Explicit algorithm allowlist, comma separated ("none" is never accepted; HS* with a public key or remote keys is refused).',
      default: 'every algorithm the configured key can verify',
      example: 'HS256',
    }),
    JWT_ISSUER: documented(optionalText, {
      description:
        'Required `iss` claim when set (required with JWT_JWKS_URI; with OIDC_ISSUER leave it unset, or equal).',
      default: 'not checked',
      example: 'https://login.example.com/',
    }),
    JWT_AUDIENCE: documented(list, {
      description:
        'Accepted `aud` claims, comma separated: the token must name one (required with remote keys).',
      default: 'not checked',
      example: 'my-app',
    }),
    JWT_CLOCK_TOLERANCE_S: documented(integer(30, 0, 3600), {
      description: 'Leeway in seconds for exp/nbf/iat.',
    }),
    JWT_USER_ID_CLAIM: documented(
      optionalText.transform((value) => value ?? 'sub'),
      { description: 'Claim that names the user.', values: 'a claim name' },
    ),
    JWT_JWKS_URI: documented(optionalHttpUrl, {
      description: `A JWKS on another origin than the issuer's (Google's for one), with JWT_ISSUER. ${REMOTE_KEYS}`,
      example: 'https://login.example.com/.well-known/jwks.json',
    }),
    OIDC_ISSUER: documented(optionalHttpUrl, {
      description: `The issuer exactly as in the tokens' iss; its /.well-known/openid-configuration names the JWKS, which must be on the issuer's origin, and the issuer is enforced. ${REMOTE_KEYS}`,
      example: 'https://login.example.com/realms/acme',
    }),
    JWT_AUDIENCE_CLAIM: documented(
      optionalText.transform((value) => value ?? 'aud'),
      {
        description:
          'Claim holding the audience (Cognito access tokens: client_id).',
        values: 'a claim name',
      },
    ),
    JWT_JWKS_TIMEOUT_MS: documented(integer(5_000, 100, 60_000), {
      description: 'Limit on each discovery/JWKS request, in ms.',
    }),
    JWT_JWKS_CACHE_TTL_MS: documented(integer(600_000, 1_000, 86_400_000), {
      description:
        'How long a fetched key set is used before it is fetched again, in ms.',
    }),
    JWT_JWKS_COOLDOWN_MS: documented(integer(30_000, 100, 3_600_000), {
      description:
        'Least time between two JWKS fetches caused by tokens with an unknown kid, in ms (forged kids cost the IdP at most one fetch per cooldown).',
    }),
    JWT_QUERY_PARAM: documented(
      optionalText.pipe(
        z
          .string()
          .regex(
            /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
            'must be a plain parameter name',
          )
          .optional(),
      ),
      {
        description:
          'Name of a query/body parameter that may carry the token (the only way JSONP can authenticate).',
        values: 'a plain parameter name',
        example: 'token',
      },
    ),
  })
  .meta({
    description:
      'JWT key: set exactly ONE of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URI or OIDC_ISSUER.',
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
