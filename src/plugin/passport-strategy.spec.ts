import { definePassportStrategy } from './passport-strategy';

const define = (timeoutMs: unknown) => () =>
  definePassportStrategy({
    name: 'bearer',
    strategy: () => ({ authenticate: () => undefined }),
    toCaller: () => null,
    timeoutMs: timeoutMs as number,
  });

describe('definePassportStrategy', () => {
  // Each would make every attempt time out after 1 ms: refused when the module loads instead.
  it.each([NaN, -1, 0, Infinity, '5000'])(
    'refuses timeoutMs %s',
    (timeoutMs) => {
      expect(define(timeoutMs)).toThrow(
        'bearer: timeoutMs must be a number of milliseconds, at least 1',
      );
    },
  );

  it('accepts a number of milliseconds, or none', () => {
    expect(define(2_000)).not.toThrow();
    expect(define(undefined)).not.toThrow();
  });
});
