import { ConfigError } from './config-error';
import { loadDirectoryToolConfig } from './directory.config';
import { loadServiceConfig } from '../extensions/service-config';

const SERVICE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
};

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('directory settings', () => {
  it('reads custom queries, the stale window and TERMINATE_ON_REMOVE', () => {
    const { directory } = loadServiceConfig({
      ...SERVICE,
      DIRECTORY_USER_QUERY:
        'SELECT info AS user_info FROM people WHERE id = $1',
      DIRECTORY_WATCHLIST_QUERY:
        'SELECT friend AS id FROM friends WHERE person = $1',
      DIRECTORY_STALE_IF_ERROR_MS: '60000',
      TERMINATE_ON_REMOVE: 'true',
    });
    expect(directory).toMatchObject({
      userQuery: 'SELECT info AS user_info FROM people WHERE id = $1',
      watchlistQuery: 'SELECT friend AS id FROM friends WHERE person = $1',
      staleIfErrorMs: 60000,
      terminateOnRemove: true,
    });
  });

  it('reads TERMINATE_ON_REVOKE with the built-in tables', () => {
    expect(
      loadServiceConfig({ ...SERVICE, TERMINATE_ON_REVOKE: 'true' }).directory,
    ).toMatchObject({ terminateOnRevoke: true });
  });

  it('refuses TERMINATE_ON_REVOKE with custom queries, which read no grants', () => {
    expect(
      problemsOf(() =>
        loadServiceConfig({
          ...SERVICE,
          DIRECTORY_USER_QUERY:
            'SELECT info AS user_info FROM people WHERE id = $1',
          TERMINATE_ON_REVOKE: 'true',
        }),
      ),
    ).toEqual([
      'TERMINATE_ON_REVOKE needs the built-in tables: with DIRECTORY_USER_QUERY no grant or group membership is read from the directory, so none can be revoked',
    ]);
  });

  it('refuses queries that do not use $1, and a watchlist query alone', () => {
    expect(
      problemsOf(() =>
        loadServiceConfig({
          ...SERVICE,
          DIRECTORY_WATCHLIST_QUERY:
            'SELECT friend AS id FROM friends WHERE person = $10',
        }),
      ),
    ).toEqual([
      'DIRECTORY_WATCHLIST_QUERY must use $1 for the user id',
      'DIRECTORY_WATCHLIST_QUERY needs DIRECTORY_USER_QUERY (the built-in tables hold their own watchlists)',
    ]);
  });

  describe('list queries', () => {
    const withUserQuery = {
      ...SERVICE,
      DIRECTORY_USER_QUERY:
        'SELECT info AS user_info FROM people WHERE id = $1',
    };

    it('reads a list query', () => {
      const usersQuery =
        'SELECT id, info AS user_info FROM people WHERE id = ANY($1)';
      expect(
        loadServiceConfig({
          ...withUserQuery,
          DIRECTORY_USERS_QUERY: usersQuery,
        }).directory,
      ).toMatchObject({ usersQuery });
    });

    it.each([
      [
        {
          ...SERVICE,
          DIRECTORY_USERS_QUERY: 'SELECT id, info AS user_info FROM people',
        },
        [
          'DIRECTORY_USERS_QUERY must use $1 for the list of user ids',
          'DIRECTORY_USERS_QUERY needs DIRECTORY_USER_QUERY (the built-in tables already read several users in one query)',
        ],
      ],
      [
        {
          ...withUserQuery,
          DIRECTORY_WATCHLISTS_QUERY:
            'SELECT person AS user_id, friend AS id FROM friends',
        },
        [
          'DIRECTORY_WATCHLISTS_QUERY must use $1 for the list of user ids',
          'DIRECTORY_WATCHLISTS_QUERY needs DIRECTORY_USERS_QUERY (the list reads it serves) and DIRECTORY_WATCHLIST_QUERY (for a user read alone)',
        ],
      ],
    ])(
      'refuses one without $1 or the queries it needs (%#)',
      (env, problems) => {
        expect(problemsOf(() => loadServiceConfig(env))).toEqual(problems);
      },
    );
  });

  it('refuses a negative stale window and a non-boolean TERMINATE_ON_REMOVE', () => {
    expect(
      problemsOf(() =>
        loadServiceConfig({
          ...SERVICE,
          DIRECTORY_STALE_IF_ERROR_MS: '-1',
          TERMINATE_ON_REMOVE: 'sure',
        }),
      ),
    ).toEqual([
      'DIRECTORY_STALE_IF_ERROR_MS: must be an integer from 0 to 86400000',
      'TERMINATE_ON_REMOVE: must be true or false',
    ]);
  });

  describe('for the directory CLI', () => {
    it('needs no Pusher or JWT settings, and applies the same defaults', () => {
      expect(loadDirectoryToolConfig({ NODE_ENV: 'production' })).toEqual({
        directory: {
          url: 'sqlite://./data/directory.db',
          unknownUsers: 'deny',
          cacheTtlMs: 30000,
          cacheMaxUsers: 50000,
          staleIfErrorMs: 0,
          terminateOnRemove: false,
          terminateOnRevoke: false,
        },
        userRules: { watchlistMax: 100, userInfoMaxBytes: 1024 },
      });
    });

    it('checks DIRECTORY_URL and the user rules like the service', () => {
      expect(
        problemsOf(() =>
          loadDirectoryToolConfig({
            DIRECTORY_URL: 'mysql://x',
            WATCHLIST_MAX: 'many',
          }),
        ),
      ).toEqual(['WATCHLIST_MAX: must be an integer from 0 to 10000']);
      expect(
        problemsOf(() =>
          loadDirectoryToolConfig({ DIRECTORY_URL: 'mysql://x' }),
        ),
      ).toEqual([
        'DIRECTORY_URL must start with postgres://, postgresql:// or sqlite://',
      ]);
    });
  });
});
