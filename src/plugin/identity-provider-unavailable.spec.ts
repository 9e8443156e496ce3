import {
  DEFAULT_RETRY_AFTER_S,
  IdentityProviderUnavailable,
  MAX_RETRY_AFTER_S,
} from './identity-provider-unavailable';

const retryAfter = (retryAfterS: unknown) =>
  new IdentityProviderUnavailable('down', {
    retryAfterS: retryAfterS as number,
  }).retryAfterS;

describe('IdentityProviderUnavailable', () => {
  it('keeps a whole number of seconds', () => {
    expect(retryAfter(7)).toBe(7);
    expect(new IdentityProviderUnavailable('down').retryAfterS).toBe(
      DEFAULT_RETRY_AFTER_S,
    );
  });

  // Each would be sent as an invalid Retry-After, or make Node refuse the header (a 500).
  it.each([
    ['a fraction', 2.2, 3],
    ['zero', 0, 1],
    ['a negative', -5, 1],
    ['Infinity', Infinity, MAX_RETRY_AFTER_S],
    ['a huge number', 1e12, MAX_RETRY_AFTER_S],
    ['NaN', NaN, DEFAULT_RETRY_AFTER_S],
    ['a string with a line break', '9\r\nX-Evil: 1', DEFAULT_RETRY_AFTER_S],
    ['null', null, DEFAULT_RETRY_AFTER_S],
  ])('turns %s into whole seconds from 1 to an hour', (_case, given, sent) => {
    expect(retryAfter(given)).toBe(sent);
  });
});
