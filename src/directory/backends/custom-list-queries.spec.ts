import { InvalidUserRecordError } from '../directory.errors';
import { usersFromRows, watchlistsReader } from './custom-list-queries';

const noWatchlists = watchlistsReader(undefined, () => Promise.resolve([]));

describe('users from the rows of a list query', () => {
  it('answers each id asked, matching integer ids as text and dropping rows for no one', async () => {
    const answers = await usersFromRows(
      ['42', 'ann', 'nobody'],
      [
        { id: 42, user_info: '{"n":42}' },
        { id: 'ann', user_info: null },
        { id: 'stranger', user_info: '{}' },
        { id: null, user_info: '{}' },
        { id: 4.5, user_info: '{}' },
      ],
      noWatchlists,
    );
    expect([...answers]).toEqual([
      ['42', { id: '42', userInfo: { n: 42 }, watchlist: [] }],
      ['ann', { id: 'ann', userInfo: null, watchlist: [] }],
      ['nobody', null],
    ]);
  });

  it('refuses an id with two rows alone, without reading its watchlist', async () => {
    const readOne = vi.fn((id: string) =>
      Promise.resolve([{ id: `${id}-friend` }]),
    );
    const answers = await usersFromRows(
      ['twice', 'once'],
      [
        { id: 'twice', user_info: '{}' },
        { id: 'once', user_info: '{}' },
        { id: 'twice', user_info: '{}' },
      ],
      watchlistsReader(undefined, readOne),
    );
    expect(answers.get('twice')).toBeInstanceOf(InvalidUserRecordError);
    expect(answers.get('once')).toEqual({
      id: 'once',
      userInfo: {},
      watchlist: ['once-friend'],
    });
    expect(readOne.mock.calls).toEqual([['once']]);
  });

  it('keeps a watchlist read that fails for one user with that user', async () => {
    const gone = new Error('that read failed');
    const answers = await usersFromRows(
      ['a', 'b'],
      [
        { id: 'a', user_info: '{}' },
        { id: 'b', user_info: '{}' },
      ],
      watchlistsReader(undefined, (id) =>
        id === 'a' ? Promise.reject(gone) : Promise.resolve([{ id: 'a' }]),
      ),
    );
    expect(answers.get('a')).toBe(gone);
    expect(answers.get('b')).toMatchObject({ watchlist: ['a'] });
  });

  it('groups a list watchlist query by user_id, in the rows’ order, naming it when a row is refused', async () => {
    const answers = await usersFromRows(
      ['a', 'b'],
      [
        { id: 'a', user_info: '{}' },
        { id: 'b', user_info: '{}' },
      ],
      watchlistsReader(
        () =>
          Promise.resolve([
            { user_id: 'a', id: 'z' },
            { user_id: 'b', id: true },
            { user_id: 'a', id: 7 },
            { user_id: 'c', id: 'x' },
          ]),
        () => Promise.reject(new Error('not read one by one')),
      ),
    );
    expect(answers.get('a')).toMatchObject({ watchlist: ['z', '7'] });
    expect(answers.get('b')).toMatchObject({
      rule: 'DIRECTORY_WATCHLISTS_QUERY returned an id that is neither text nor an integer',
    });
  });
});
