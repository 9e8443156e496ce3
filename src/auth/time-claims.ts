/**
 * The time claims every identity source may carry: `exp`, `nbf` and `iat` (RFC 7519 §4.1.4-6,
 * RFC 7662 §2.2). Each is a NumericDate: a JSON number of seconds since the epoch.
 */
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/**
 * 9999-12-31T23:59:59Z. A larger time is no date any issuer means: `1e300`, or `1e400`, which
 * JSON.parse reads as Infinity, would otherwise make a token valid forever.
 */
export const LATEST_NUMERIC_DATE = 253_402_300_799;

export interface TimeClaimProblem {
  /**
   * `type`: present with a value that is no NumericDate ("1", null, Infinity, -5, 1e300);
   * `value`: a NumericDate saying the credential is not (or no longer) valid now.
   */
  kind: 'type' | 'value';
  claim: (typeof TIME_CLAIMS)[number];
  message: string;
}

/**
 * What is wrong with the time claims, or undefined. A claim present with the wrong type is a
 * refusal, never "absent": an `exp` the check skips would let an expired credential in.
 *
 * @param clockToleranceS leeway for the issuer's clock on `iat` (and `exp`/`nbf` when checked)
 * @param checkValidity whether `exp` and `nbf` are compared with now here (fast-jwt compares
 *   them itself for JWTs; introspection answers have no other check)
 */
export function timeClaimProblem(
  claims: Record<string, unknown>,
  clockToleranceS: number,
  nowMs: number,
  checkValidity: boolean,
): TimeClaimProblem | undefined {
  for (const name of TIME_CLAIMS) {
    if (!(name in claims)) continue;
    const value = claims[name];
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      value > LATEST_NUMERIC_DATE
    ) {
      return {
        kind: 'type',
        claim: name,
        message: `The ${name} claim must be a number of seconds between 0 and ${LATEST_NUMERIC_DATE}.`,
      };
    }
  }
  const nowS = nowMs / 1000;
  const { exp, nbf, iat } = claims as Partial<Record<string, number>>;
  if (iat !== undefined && iat > nowS + clockToleranceS) {
    return {
      kind: 'value',
      claim: 'iat',
      message: 'The iat claim is in the future.',
    };
  }
  if (!checkValidity) return undefined;
  if (exp !== undefined && exp <= nowS - clockToleranceS) {
    return { kind: 'value', claim: 'exp', message: 'The token has expired.' };
  }
  if (nbf !== undefined && nbf > nowS + clockToleranceS) {
    return {
      kind: 'value',
      claim: 'nbf',
      message: 'The token is not active yet.',
    };
  }
  return undefined;
}
