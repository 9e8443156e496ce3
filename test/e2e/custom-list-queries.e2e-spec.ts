import type { CustomQueries } from '../../src/directory/backends/custom-queries';
import { InvalidUserRecordError } from '../../src/directory/directory.errors';
import { UserReadBatcher } from '../../src/directory/user-read-batcher';
import {
  CountedDirectory,
  openCountedDirectory,
} from '../helpers/counted-directory';
import {
  OWN_BACKENDS,
  OwnDatabase,
  SEEDED,
  seedOwnTables,
  signedAs,
} from '../helpers/own-database';
import {
  runServiceToExit,
  useBuiltServiceWorkDir,
} from '../helpers/service-process';
import { signInOnApp } from '../helpers/sign-in';
import { BASE_ENV, startTestApp } from '../helpers/test-app';

/** Alice and Bob follow someone, Carol no one; Gone is inactive, Nobody has no row. */
const PEOPLE = ['alice', 'nobody', 'bob', 'gone', 'carol'];

describe.each(OWN_BACKENDS)('list queries on $name', (backend) => {
  let own: OwnDatabase;

  beforeAll(async () => {
    own = await backend.open();
    await seedOwnTables(own);
  });
  afterAll(() => own?.cleanup());

  /** What `ids`, missed in one event-loop turn, answer, and the statements or round trips spent. */
  async function readTogether(queries: CustomQueries, ids: string[]) {
    const db: CountedDirectory = await openCountedDirectory(own.url, queries);
    try {
      const batcher = new UserReadBatcher(db.directory);
      const before = db.count();
      const together = await Promise.allSettled(
        ids.map((id) => batcher.read(id)),
      );
      const spent = db.count() - before;
      // The same ids read one at a time with DIRECTORY_USER_QUERY, the reference.
      const alone = await Promise.allSettled(
        ids.map((id) => db.directory.findUser(id)),
      );
      return { together, alone, spent };
    } finally {
      await db.close();
    }
  }

  const named = {
    user: backend.userQuery,
    watchlist: backend.watchlistQuery,
    users: backend.usersQuery,
  };

  it('reads several users in one query, each answer as DIRECTORY_USER_QUERY gives it', async () => {
    const { together, alone, spent } = await readTogether(
      { user: backend.userQuery, users: backend.usersQuery },
      PEOPLE,
    );
    expect(spent).toBe(1);
    expect(together).toEqual(alone);
    expect(together.map((answer) => answer.status)).toEqual(
      PEOPLE.map(() => 'fulfilled'),
    );
    const users = together.map(
      (answer) => (answer as PromiseFulfilledResult<unknown>).value,
    );
    // Without a watchlist query, users have none.
    expect(users).toEqual([
      { id: 'alice', userInfo: SEEDED.alice.userInfo, watchlist: [] },
      null,
      { id: 'bob', userInfo: SEEDED.bob.userInfo, watchlist: [] },
      null,
      { id: 'carol', userInfo: SEEDED.carol.userInfo, watchlist: [] },
    ]);
  });

  it('reads the watchlists of the users found one per user without DIRECTORY_WATCHLISTS_QUERY', async () => {
    const { together, alone, spent } = await readTogether(named, PEOPLE);
    // One list query, then one watchlist query for each of alice, bob and carol.
    expect(spent).toBe(4);
    expect(together).toEqual(alone);
    expect(together[0]).toMatchObject({
      value: { id: 'alice', watchlist: ['bob', 'carol'] },
    });
  });

  it('reads the watchlists in one more query with DIRECTORY_WATCHLISTS_QUERY', async () => {
    const { together, alone, spent } = await readTogether(
      { ...named, watchlists: backend.watchlistsQuery },
      PEOPLE,
    );
    expect(spent).toBe(2);
    expect(together).toEqual(alone);
    expect(
      together.map(
        (answer) =>
          (answer as PromiseFulfilledResult<{ watchlist: string[] } | null>)
            .value?.watchlist ?? null,
      ),
    ).toEqual([['bob', 'carol'], null, ['alice'], null, []]);
  });

  it('refuses an id with two rows alone, keeps bad JSON for the user rules, and ignores rows not asked for', async () => {
    const ids = ['twice', 'text-json', 'nulled', 'nobody', 'not-json'];
    const { together, alone, spent } = await readTogether(
      {
        user: 'SELECT profile AS user_info FROM profiles WHERE id = $1',
        // The `OR` adds a row for an id nobody asked for: it answers no one.
        users: `SELECT id, profile AS user_info FROM profiles WHERE id ${backend.inIds} OR id = 'array'`,
      },
      ids,
    );
    expect(spent).toBe(1);
    expect(together[0]).toEqual({
      status: 'rejected',
      reason: expect.any(InvalidUserRecordError) as unknown,
    });
    expect((together[0] as PromiseRejectedResult).reason).toMatchObject({
      userId: 'twice',
      rule: 'DIRECTORY_USERS_QUERY returned 2 rows for this id (at most one expected)',
    });
    expect(together.slice(1)).toEqual(alone.slice(1));
    expect(
      together
        .slice(1)
        .map((answer) => (answer as PromiseFulfilledResult<unknown>).value),
    ).toEqual([
      { id: 'text-json', userInfo: { ok: true }, watchlist: [] },
      { id: 'nulled', userInfo: null, watchlist: [] },
      null,
      { id: 'not-json', userInfo: 'hello', watchlist: [] },
    ]);
  });

  it('answers an id an integer key cannot take as an unknown user, the others as usual', async () => {
    // PostgreSQL refuses the whole list ('alice' is no integer): each id is then read alone.
    const { together, alone } = await readTogether(
      {
        user: 'SELECT profile AS user_info FROM numbered WHERE id = $1',
        users: `SELECT id, profile AS user_info FROM numbered WHERE id ${backend.inIds}`,
      },
      ['42', 'alice', '7'],
    );
    expect(together).toEqual(alone);
    expect(
      together.map(
        (answer) => (answer as PromiseFulfilledResult<unknown>).value,
      ),
    ).toEqual([{ id: '42', userInfo: { n: 42 }, watchlist: [] }, null, null]);
  });

  describe('signing through the service', () => {
    it('signs users read together (signatures checked independently) and refuses bad rows', async () => {
      const service = await startTestApp({
        DIRECTORY_URL: own.url,
        DIRECTORY_CACHE_TTL_MS: '0',
        DIRECTORY_USER_QUERY: backend.userQuery,
        DIRECTORY_WATCHLIST_QUERY: backend.watchlistQuery,
        DIRECTORY_USERS_QUERY: backend.usersQuery,
        DIRECTORY_WATCHLISTS_QUERY: backend.watchlistsQuery,
      });
      const findUsers = vi.spyOn(service.directory, 'findUsers');
      try {
        const ids = ['alice', 'bob', 'carol', 'nobody', 'verbose', 'odd'];
        const results = await Promise.all(
          ids.map((id) => signInOnApp(service.app, id)),
        );
        // The sign-ins of one turn were read together.
        expect(findUsers.mock.calls.some(([asked]) => asked.length > 1)).toBe(
          true,
        );
        expect(results).toEqual([
          signedAs('alice'),
          signedAs('bob'),
          signedAs('carol'),
          { status: 403 },
          { status: 403 },
          { status: 403 },
        ]);
        const logged = (pattern: RegExp) =>
          service.logs.lines.some((line) => pattern.test(line));
        expect(
          logged(
            /not signing user "verbose": user_info must be at most 1024 bytes/,
          ),
        ).toBe(true);
        expect(
          logged(
            /not signing user "odd": watchlist entries must be valid user ids/,
          ),
        ).toBe(true);
      } finally {
        findUsers.mockRestore();
        await service.close();
      }
    });
  });

  describe('a broken list query stops start-up with the database’s own message', () => {
    const workDir = useBuiltServiceWorkDir('pusher-auth-list-query-');
    const startWith = (env: Record<string, string>) =>
      runServiceToExit(
        {
          ...BASE_ENV,
          DIRECTORY_URL: own.url,
          DIRECTORY_USER_QUERY: backend.userQuery,
          DIRECTORY_WATCHLIST_QUERY: backend.watchlistQuery,
          ...env,
        },
        workDir(),
      );

    it.each([
      [
        'a syntax error',
        {
          DIRECTORY_USERS_QUERY: 'SELEC id, user_info FROM users WHERE id = $1',
        },
        [
          /cannot start: DIRECTORY_USERS_QUERY cannot be used: /,
          backend.syntaxError,
        ],
      ],
      [
        'a missing table',
        {
          DIRECTORY_USERS_QUERY: backend.usersQuery,
          DIRECTORY_WATCHLISTS_QUERY:
            'SELECT user_id, id FROM nope WHERE user_id = $1',
        },
        [
          /cannot start: DIRECTORY_WATCHLISTS_QUERY cannot be used: /,
          backend.missingTable,
        ],
      ],
      [
        'a list query without the id column',
        {
          DIRECTORY_USERS_QUERY: backend.usersQuery.replace(
            'SELECT id, ',
            'SELECT ',
          ),
        },
        [
          'DIRECTORY_USERS_QUERY cannot be used: it must return a column named "id" (it returns "user_info")',
        ],
      ],
      [
        'a list watchlist query without the user_id column',
        {
          DIRECTORY_USERS_QUERY: backend.usersQuery,
          DIRECTORY_WATCHLISTS_QUERY: `SELECT followee_id AS id FROM follows WHERE follower_id ${backend.inIds}`,
        },
        [
          'DIRECTORY_WATCHLISTS_QUERY cannot be used: it must return a column named "user_id" (it returns "id")',
        ],
      ],
    ])(
      '%s',
      async (
        _case,
        env: Record<string, string>,
        expected: (string | RegExp)[],
      ) => {
        const { code, output } = await startWith(env);
        expect(code).toBe(1);
        for (const what of expected) {
          if (typeof what === 'string') expect(output).toContain(what);
          else expect(output).toMatch(what);
        }
        expect(output).not.toMatch(/\n\s+at /);
      },
    );
  });
});
