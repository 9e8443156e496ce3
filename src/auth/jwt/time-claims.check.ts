import { TokenError } from 'fast-jwt';
import { timeClaimProblem } from '../time-claims';
import type { Claims } from './key-verifier';

/**
 * fast-jwt compares `exp` and `nbf` with now but accepts any number (Infinity, 1e300) and never
 * reads `iat` unless `maxAge` is set: every time claim's type and range, and `iat` not in the
 * future, are checked here, for static and remote keys alike.
 */
export function checkTimeClaims(
  claims: Claims,
  clockToleranceS: number,
  now: number = Date.now(),
): Claims {
  const problem = timeClaimProblem(claims, clockToleranceS, now, false);
  if (!problem) return claims;
  throw new TokenError(
    problem.kind === 'type'
      ? TokenError.codes.invalidClaimType
      : TokenError.codes.invalidClaimValue,
    problem.message,
  );
}
