import { outcomeOf } from './request-outcome';

describe('outcomeOf', () => {
  it.each([
    [200, true, 'signed'],
    [200, false, 'ok'],
    [400, true, 'bad_request'],
    [413, true, 'bad_request'],
    [401, true, 'forbidden'],
    [403, true, 'forbidden'],
    [404, false, 'not_found'],
    [408, true, 'timeout'],
    [429, true, 'rate_limited'],
    [499, true, 'aborted'],
    [431, false, 'bad_request'],
    [503, true, 'unavailable'],
    [500, true, 'error'],
  ])('names %i (signing endpoint: %s) %s', (status, signing, outcome) => {
    expect(outcomeOf(status, signing)).toBe(outcome);
  });
});
