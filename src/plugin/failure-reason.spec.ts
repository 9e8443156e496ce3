import { failureReason } from './failure-reason';

describe('failureReason', () => {
  it.each([
    ['an Error', new TypeError('bad shape'), 'bad shape'],
    ['a string', 'plain words', 'plain words'],
    [
      'an object with a message',
      { message: 'from a library' },
      'from a library',
    ],
    ['an object without one', { code: 7 }, 'an object that is not an Error'],
    [
      'an object without a prototype',
      Object.create(null),
      'an object that is not an Error',
    ],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('describes %s without throwing', (_case, error, reason) => {
    expect(failureReason(error)).toBe(reason);
  });
});
