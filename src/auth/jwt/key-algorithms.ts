import type { KeyObject } from 'node:crypto';

export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

export const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = [
  'HS256',
  'HS384',
  'HS512',
];
const RSA_PSS: JwtAlgorithm[] = ['PS256', 'PS384', 'PS512'];
const RSA: JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', ...RSA_PSS];
const EC_BY_CURVE: Record<string, JwtAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** Every algorithm a token may be verified with; `none` is not one of them. */
const ALL: readonly string[] = [
  ...HMAC_ALGORITHMS,
  ...RSA,
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Asymmetric algorithms only: an HMAC "key" published in a JWKS would be public. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = ALL.filter(
  (name) => !HMAC_ALGORITHMS.includes(name as JwtAlgorithm),
);

/** Shorter HMAC secrets can be brute-forced offline from a single token. */
export const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

/**
 * The algorithms a public key can verify (its type and curve decide, never a token's header), or
 * why it is unusable. `label` names the key in the reason.
 */
export function algorithmsForPublicKey(
  key: KeyObject,
  label: string,
): { algorithms: JwtAlgorithm[] } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
        return {
          problem: `${label}: RSA keys must have at least ${MIN_RSA_BITS} bits`,
        };
      }
      return { algorithms: key.asymmetricKeyType === 'rsa' ? RSA : RSA_PSS };
    case 'ec': {
      const algorithm = EC_BY_CURVE[details.namedCurve ?? ''];
      return algorithm
        ? { algorithms: [algorithm] }
        : { problem: `${label}: EC keys must use P-256, P-384 or P-521` };
    }
    case 'ed25519':
    case 'ed448':
      return { algorithms: ['EdDSA'] };
    default:
      return {
        problem: `${label}: unsupported key type ${String(key.asymmetricKeyType)}`,
      };
  }
}

/**
 * `JWT_ALGORITHMS` checked against what the key source can verify; with nothing requested,
 * `fallback` (the key's own algorithms). `none` and unknown names are always refused.
 */
export function chooseAlgorithms(
  requested: string[],
  allowed: readonly string[],
  notAllowed: (name: string) => string,
  problems: string[],
  fallback: JwtAlgorithm[] = [],
): JwtAlgorithm[] {
  if (requested.length === 0) return fallback;
  const chosen: JwtAlgorithm[] = [];
  for (const name of requested) {
    if (name.toLowerCase() === 'none') {
      problems.push('JWT_ALGORITHMS: "none" is never allowed');
    } else if (!ALL.includes(name)) {
      problems.push(`JWT_ALGORITHMS: unknown algorithm ${name}`);
    } else if (!allowed.includes(name)) {
      problems.push(`JWT_ALGORITHMS: ${notAllowed(name)}`);
    } else {
      chosen.push(name as JwtAlgorithm);
    }
  }
  return chosen;
}
