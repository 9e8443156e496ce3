import { callerIdentityOf } from './caller-answer';

describe('callerIdentityOf', () => {
  it('reads a caller, with or without claims', () => {
    expect(callerIdentityOf({ id: 'alice' }, 'sso')).toEqual({
      id: 'alice',
      claims: {},
      strategy: 'sso',
    });
    expect(
      callerIdentityOf({ id: 'bob', claims: { name: 'Bob' } }, 'sso'),
    ).toEqual({ id: 'bob', claims: { name: 'Bob' }, strategy: 'sso' });
  });

  it.each([null, undefined, false])('%s declines', (answer) => {
    expect(callerIdentityOf(answer, 'sso')).toBeNull();
  });

  // An id that is a string but breaks the user id rules is the directory's 403, not a bug.
  it('leaves the user id rules to the directory', () => {
    expect(callerIdentityOf({ id: '' }, 'sso')?.id).toBe('');
  });

  it.each([
    ['a number as the id', { id: 42 }, 'an id that is a number'],
    [
      'an object as the id',
      { id: { toString: () => 'bob' } },
      'an id that is an object',
    ],
    ['no id', { claims: {} }, 'an id that is missing'],
    ['a string', 'alice', 'answered a string'],
    ['true', true, 'answered a boolean'],
    ['a list', [{ id: 'alice' }], 'answered a list'],
    [
      'claims that are a list',
      { id: 'a', claims: [1] },
      'claims that are a list',
    ],
    [
      'claims that are text',
      { id: 'a', claims: 'x' },
      'claims that are a string',
    ],
  ])(
    'refuses %s, as a TypeError that never quotes the value',
    (_case, answer, message) => {
      expect(() => callerIdentityOf(answer, 'sso')).toThrow(TypeError);
      expect(() => callerIdentityOf(answer, 'sso')).toThrow(message);
    },
  );

  it('copies the claims now: a getter that throws fails the strategy, not the sign-in', () => {
    const claims = {
      get name(): string {
        throw new Error('no name');
      },
    };
    expect(() => callerIdentityOf({ id: 'a', claims }, 'sso')).toThrow(
      'no name',
    );
  });

  it('keeps circular claims as they are (only their string fields are read)', () => {
    const claims: Record<string, unknown> = { name: 'Circe' };
    claims.self = claims;
    expect(callerIdentityOf({ id: 'c', claims }, 'sso')?.claims.name).toBe(
      'Circe',
    );
  });
});
