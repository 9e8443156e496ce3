import { TokenError } from 'fast-jwt';
import type { Claims } from './key-verifier';

/**
 * `iat` (RFC 7519 §4.1.6) is optional, but when present it must be a NumericDate no later than
 * now plus `JWT_CLOCK_TOLERANCE_S`: a token "issued" in the future comes from a broken or
 * hostile issuer clock. fast-jwt reads `iat` only for `maxAge`, so it is checked here, for static
 * and remote keys alike.
 */
export function checkIssuedAt(
  claims: Claims,
  clockToleranceS: number,
  now: number = Date.now(),
): Claims {
  if (!('iat' in claims)) return claims;
  const { iat } = claims;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw new TokenError(
      TokenError.codes.invalidClaimType,
      'The iat claim must be a number.',
    );
  }
  if (iat * 1000 > now + clockToleranceS * 1000) {
    throw new TokenError(
      TokenError.codes.invalidClaimValue,
      'The iat claim is in the future.',
    );
  }
  return claims;
}
