import { TokenError } from 'fast-jwt';
import { checkIssuedAt } from './issued-at';

const NOW_MS = 1_800_000_000_000;
const NOW_S = NOW_MS / 1000;

const codeOf = (claims: Record<string, unknown>): string | undefined => {
  try {
    checkIssuedAt(claims, 30, NOW_MS);
    return undefined;
  } catch (error) {
    return (error as TokenError).code;
  }
};

describe('checkIssuedAt', () => {
  it('accepts a token without iat, or issued up to the tolerance ahead', () => {
    expect(codeOf({})).toBeUndefined();
    expect(codeOf({ iat: NOW_S - 86_400 })).toBeUndefined();
    expect(codeOf({ iat: NOW_S + 30 })).toBeUndefined();
    // NumericDate may carry fractions of a second.
    expect(codeOf({ iat: NOW_S + 29.5 })).toBeUndefined();
  });

  it('refuses iat past the tolerance', () => {
    expect(codeOf({ iat: NOW_S + 31 })).toBe('FAST_JWT_INVALID_CLAIM_VALUE');
  });

  it.each(['yesterday', '1800000000', null, true, [NOW_S], NaN, Infinity])(
    'refuses iat %p as not a number',
    (iat) => {
      expect(codeOf({ iat })).toBe('FAST_JWT_INVALID_CLAIM_TYPE');
    },
  );
});
