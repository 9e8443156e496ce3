import { TokenError } from 'fast-jwt';
import { checkTimeClaims } from './time-claims.check';

const NOW_MS = 1_800_000_000_000;
const NOW_S = NOW_MS / 1000;

const codeOf = (claims: Record<string, unknown>): string | undefined => {
  try {
    checkTimeClaims(claims, 30, NOW_MS);
    return undefined;
  } catch (error) {
    return (error as TokenError).code;
  }
};

describe('checkTimeClaims', () => {
  it('accepts a token without iat, or issued up to the tolerance ahead', () => {
    expect(codeOf({ exp: NOW_S + 60 })).toBeUndefined();
    expect(codeOf({ iat: NOW_S - 86_400 })).toBeUndefined();
    expect(codeOf({ iat: NOW_S + 30 })).toBeUndefined();
    // NumericDate may carry fractions of a second.
    expect(codeOf({ iat: NOW_S + 29.5, exp: NOW_S + 0.5 })).toBeUndefined();
  });

  it('refuses iat past the tolerance', () => {
    expect(codeOf({ iat: NOW_S + 31 })).toBe('FAST_JWT_INVALID_CLAIM_VALUE');
  });

  it.each(['exp', 'nbf', 'iat'])(
    'refuses %s of another type or out of range, whatever its value says',
    (claim) => {
      for (const value of [
        'yesterday',
        '1800000000',
        null,
        true,
        [NOW_S],
        {},
        NaN,
        Infinity,
        -Infinity,
        -1,
        1e300,
        253_402_300_800,
      ]) {
        expect({ value, code: codeOf({ [claim]: value }) }).toEqual({
          value,
          code: 'FAST_JWT_INVALID_CLAIM_TYPE',
        });
      }
    },
  );

  it('leaves the comparison of exp and nbf with now to fast-jwt', () => {
    expect(codeOf({ exp: NOW_S - 3600 })).toBeUndefined();
    expect(codeOf({ nbf: NOW_S + 3600 })).toBeUndefined();
  });
});
