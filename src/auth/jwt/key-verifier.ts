import { createVerifier, TokenError } from 'fast-jwt';
import type { JwtSettings } from './jwt.settings';
import type { JwtAlgorithm } from './key-algorithms';
import { checkTimeClaims } from './time-claims.check';

export type Claims = Record<string, unknown>;

/** Verifies a token against one key; throws (a TokenError, mostly) when it is not valid. */
export type KeyVerifier = (token: string) => Claims;

/**
 * A synchronous verifier for one key (node:crypto through fast-jwt), built once per key: the
 * measured cost of async WebCrypto verification is about half the throughput.
 */
export function createKeyVerifier(
  jwt: JwtSettings,
  key: string,
  algorithms: JwtAlgorithm[],
): KeyVerifier {
  const { issuer } = jwt.keys;
  const requiredClaims = ['exp'];
  if (issuer) requiredClaims.push('iss');
  const audienceInAud = jwt.audienceClaim === 'aud';
  if (jwt.audience.length > 0) requiredClaims.push(jwt.audienceClaim);
  const verifySignature = createVerifier({
    key,
    algorithms,
    allowedIss: issuer,
    allowedAud:
      audienceInAud && jwt.audience.length > 0 ? jwt.audience : undefined,
    requiredClaims,
    clockTolerance: jwt.clockToleranceS * 1000,
  }) as KeyVerifier;
  const verify: KeyVerifier = (token) =>
    checkTimeClaims(
      withoutStackTraces(verifySignature, token),
      jwt.clockToleranceS,
    );
  if (audienceInAud || jwt.audience.length === 0) return verify;
  return (token) => {
    const claims = verify(token);
    if (!namesAudience(claims[jwt.audienceClaim], jwt.audience)) {
      throw new TokenError(
        TokenError.codes.invalidClaimValue,
        `the ${jwt.audienceClaim} claim names no accepted audience`,
      );
    }
    return claims;
  };
}

/**
 * Runs fast-jwt's check with no stack traces captured. fast-jwt hands node:crypto the key as
 * `{ key, padding }`; Node 24 up to 24.18 first asks whether that object is a KeyObject, then a
 * CryptoKey, and each answer is an error thrown and caught inside Node (24.22.3, the image's
 * runtime, no longer throws; `engines` still admits the earlier 24.x). Capturing those two
 * stacks made an RS256 check cost 25.5 µs instead of 15.9 alone (Node 20: 16.9, no throw), and
 * about 30 µs more inside the service, whose stack is deep: a fifth of a sign-in on 24.18
 * (docs/performance.md, "Round five"). Nothing is lost: a refused token is logged by its
 * TokenError code, never its stack, and the limit is restored however the check ends.
 */
function withoutStackTraces(check: KeyVerifier, token: string): Claims {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return check(token);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Audiences come as a string or an array of strings (RFC 7519 §4.1.3). */
function namesAudience(value: unknown, accepted: string[]): boolean {
  const named = Array.isArray(value) ? value : [value];
  return named.some(
    (audience) => typeof audience === 'string' && accepted.includes(audience),
  );
}

/** Why a token was refused, for a debug line: a code, never the token or claim values. */
export function refusalCode(error: unknown): string {
  return error instanceof TokenError ? error.code : 'FAST_JWT_ERROR';
}
