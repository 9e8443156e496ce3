import type { JwtVariables } from './jwt.settings';
import {
  ASYMMETRIC_ALGORITHMS,
  chooseAlgorithms,
  JwtAlgorithm,
} from './key-algorithms';

/** Keys fetched from the identity provider (`JWT_JWKS_URI` or `OIDC_ISSUER`), cached by (issuer, kid). */
export interface RemoteJwtKeys {
  readonly source: 'remote';
  /** `JWT_JWKS_URI`; absent when the issuer's OpenID configuration names it (`OIDC_ISSUER`). */
  readonly jwksUri?: string;
  /** The `iss` every token must name: `OIDC_ISSUER`, or `JWT_ISSUER` with `JWT_JWKS_URI`. */
  readonly issuer: string;
  /** `JWT_ALGORITHMS` narrowing each key's own. @default [] (each JWK's `alg`, or its `kty`/`crv`) */
  readonly algorithms: JwtAlgorithm[];
  /** `JWT_JWKS_TIMEOUT_MS`: limit on each discovery or JWKS request. @default 5000 */
  readonly timeoutMs: number;
  /** `JWT_JWKS_CACHE_TTL_MS`: how long a fetched key set is used before it is refreshed. @default 600000 */
  readonly cacheTtlMs: number;
  /** `JWT_JWKS_COOLDOWN_MS`: least time between two fetches caused by unknown `kid`s. @default 30000 */
  readonly cooldownMs: number;
}

/**
 * Reads the remote key source, appending every problem found to `problems`. One key source per
 * strategy: a token's header only picks a `kid`, so mixing a static key with a JWKS would make
 * the allowlist ambiguous and invite key confusion.
 */
export function readRemoteKeys(
  vars: JwtVariables,
  problems: string[],
): RemoteJwtKeys | undefined {
  const found = problems.length;
  if (vars.JWT_SECRET || vars.JWT_PUBLIC_KEY) {
    problems.push(
      'JWT_JWKS_URI/OIDC_ISSUER and JWT_SECRET/JWT_PUBLIC_KEY are both set: configure one key source for the jwt strategy',
    );
  }
  if (vars.JWT_JWKS_URI && vars.OIDC_ISSUER) {
    problems.push(
      'set JWT_JWKS_URI (with JWT_ISSUER) or OIDC_ISSUER (discovery), not both',
    );
  }
  if (
    vars.OIDC_ISSUER &&
    vars.JWT_ISSUER &&
    vars.JWT_ISSUER !== vars.OIDC_ISSUER
  ) {
    problems.push(
      'JWT_ISSUER differs from OIDC_ISSUER: leave JWT_ISSUER unset, OIDC_ISSUER is the issuer enforced',
    );
  }
  const issuer = vars.OIDC_ISSUER ?? vars.JWT_ISSUER;
  if (!issuer) {
    // Some key sets sign for many tenants (Entra ID's common keys): only iss tells them apart.
    problems.push(
      'JWT_ISSUER is required with JWT_JWKS_URI: keys from a JWKS verify only tokens of their issuer',
    );
  }
  if (vars.JWT_AUDIENCE.length === 0) {
    problems.push(
      'JWT_AUDIENCE is required with remote keys: an identity provider signs tokens for many applications',
    );
  }
  const algorithms = chooseAlgorithms(
    vars.JWT_ALGORITHMS,
    ASYMMETRIC_ALGORITHMS,
    (name) =>
      `${name} is never used with remote keys (allowed: ${ASYMMETRIC_ALGORITHMS.join(', ')})`,
    problems,
  );
  if (!issuer || problems.length > found) return undefined;
  return {
    source: 'remote',
    jwksUri: vars.JWT_JWKS_URI,
    issuer,
    algorithms,
    timeoutMs: vars.JWT_JWKS_TIMEOUT_MS,
    cacheTtlMs: vars.JWT_JWKS_CACHE_TTL_MS,
    cooldownMs: vars.JWT_JWKS_COOLDOWN_MS,
  };
}
