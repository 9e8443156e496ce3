import { InvalidUserRecordError } from './directory.errors';
import { isValidUserId, UserRules } from './user-rules';

describe('isValidUserId', () => {
  it.each(['alice', 'a.b', '...', '.a', 'a.', '.-', 'bare.user@example.com'])(
    'accepts %j',
    (id) => expect(isValidUserId(id)).toBe(true),
  );

  // `.` and `..` are path segments an HTTP client resolves: the REST call would leave the path signed.
  it.each(['.', '..', '', 'a b', 'a/b', 'x'.repeat(129), 42])(
    'refuses %j',
    (id) => expect(isValidUserId(id)).toBe(false),
  );
});

describe('UserRules.toPusherUser', () => {
  const rules = new UserRules(3, 1024);
  const rule = (watchlist: string[]) => {
    try {
      rules.toPusherUser({ id: 'alice', userInfo: null, watchlist });
    } catch (error) {
      return (error as InvalidUserRecordError).rule;
    }
    return undefined;
  };

  it('signs the watchlist without repeated ids or the user’s own, in its order', () => {
    expect(
      rules.toPusherUser({
        id: 'alice',
        userInfo: null,
        watchlist: ['carol', 'alice', 'bob', 'carol', 'bob'],
      }),
    ).toEqual({ id: 'alice', watchlist: ['carol', 'bob'] });
  });

  it('leaves the watchlist out when only the user’s own id was in it', () => {
    expect(
      rules.toPusherUser({ id: 'alice', userInfo: null, watchlist: ['alice'] }),
    ).toEqual({ id: 'alice' });
  });

  it('counts WATCHLIST_MAX after dropping repeats and the user’s own id', () => {
    expect(rule(['b', 'c', 'd', 'b', 'c', 'alice'])).toBeUndefined();
    expect(rule(['b', 'c', 'd', 'e'])).toBe(
      'watchlist must have at most 3 entries (has 4)',
    );
    expect(rule(['b', 'c', 'd', 'e', 'e'])).toBe(
      "watchlist must have at most 3 entries (has 4 once repeats and the user's own id are dropped)",
    );
  });

  it.each([[['.']], [['..']], [['ok', '..']]])(
    'refuses a watchlist holding a dot segment (%j)',
    (watchlist) =>
      expect(rule(watchlist)).toBe('watchlist entries must be valid user ids'),
  );

  it.each(['.', '..'])('refuses the user id %j', (id) => {
    expect(() =>
      rules.toPusherUser({ id, userInfo: null, watchlist: [] }),
    ).toThrow(InvalidUserRecordError);
  });
});
