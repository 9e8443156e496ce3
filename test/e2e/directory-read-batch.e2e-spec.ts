import {
  DirectoryConnection,
  openDirectoryConnection,
} from '../../src/directory/backends/directory-connection';
import { openUserDirectory } from '../../src/directory/backends/open-directory-backend';
import { DirectoryUnavailableError } from '../../src/directory/directory.errors';
import {
  MAX_IDS_PER_READ,
  UserReadBatcher,
} from '../../src/directory/user-read-batcher';
import {
  CountedDirectory,
  openCountedDirectory,
} from '../helpers/counted-directory';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';

const USERS = 250;
const ids = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `user-${from + i}`);

async function seed(connection: DirectoryConnection): Promise<void> {
  const users = ids(USERS);
  const info = users.map((id) => JSON.stringify({ name: id }));
  if (connection.kind === 'sqlite') {
    const add = connection.sqlite.prepare(
      'INSERT INTO directory_users (id, user_info) VALUES (?, ?)',
    );
    const watch = connection.sqlite.prepare(
      'INSERT INTO directory_watchlist (user_id, position, watched_id) VALUES (?, ?, ?)',
    );
    connection.sqlite.transaction(() => {
      users.forEach((id, i) => {
        add.run(id, info[i]);
        watch.run(id, 0, 'user-1');
        watch.run(id, 1, 'user-0');
      });
    })();
    return;
  }
  await connection.pool.query(
    'INSERT INTO directory_users (id, user_info) SELECT id, info::jsonb FROM unnest($1::text[], $2::text[]) AS u(id, info)',
    [users, info],
  );
  await connection.pool.query(
    `INSERT INTO directory_watchlist (user_id, position, watched_id)
     SELECT id, p, w FROM unnest($1::text[]) AS u(id), (VALUES (0, 'user-1'), (1, 'user-0')) AS v(p, w)`,
    [users],
  );
}

/** A directory of USERS seeded users, on one of the real backends, its reads counted. */
async function seeded(storage: TestStorage): Promise<CountedDirectory> {
  const setup = openDirectoryConnection(storage.url);
  const seeding = openUserDirectory(setup);
  await seeding.migrate();
  await seed(setup);
  await seeding.close();
  const counted = await openCountedDirectory(storage.url);
  return {
    ...counted,
    async close() {
      await counted.close();
      await storage.cleanup();
    },
  };
}

describe.each(STORAGE_BACKENDS)(
  'directory reads coalesced per event-loop turn (%s)',
  (_name, storage) => {
    let db: CountedDirectory;

    beforeAll(async () => {
      db = await seeded(await storage());
    });
    afterAll(() => db.close());

    /** The statements or round trips that `work` cost. */
    async function cost(work: () => Promise<unknown>): Promise<number> {
      const before = db.count();
      await work();
      return db.count() - before;
    }

    it('answers 50 concurrent look-ups of distinct users with one query', async () => {
      const batcher = new UserReadBatcher(db.directory);
      let users: unknown[] = [];
      const spent = await cost(async () => {
        users = await Promise.all(ids(50, 100).map((id) => batcher.read(id)));
      });
      expect(spent).toBe(1);
      expect(users).toEqual(
        ids(50, 100).map((id) => ({
          id,
          userInfo: { name: id },
          watchlist: ['user-1', 'user-0'],
        })),
      );
    });

    it('answers null for ids it does not hold, in the same query as the others', async () => {
      const batcher = new UserReadBatcher(db.directory);
      let users: unknown[] = [];
      const spent = await cost(async () => {
        users = await Promise.all(
          ['user-3', 'nobody', 'user-4', 'nobody-else'].map((id) =>
            batcher.read(id),
          ),
        );
      });
      expect(spent).toBe(1);
      expect(
        users.map((user) => (user as { id: string } | null)?.id ?? null),
      ).toEqual(['user-3', null, 'user-4', null]);
    });

    it('shares one place in the query among look-ups of the same user', async () => {
      const batcher = new UserReadBatcher(db.directory);
      const findUsers = vi.spyOn(db.directory, 'findUsers');
      try {
        const spent = await cost(() =>
          Promise.all(
            ['user-7', 'user-7', 'user-8'].map((id) => batcher.read(id)),
          ),
        );
        expect(spent).toBe(1);
        expect(findUsers).toHaveBeenCalledWith(['user-7', 'user-8']);
      } finally {
        findUsers.mockRestore();
      }
    });

    it(`sends at most ${MAX_IDS_PER_READ} ids per query`, async () => {
      const batcher = new UserReadBatcher(db.directory);
      const users = await (async () => {
        let answers: unknown[] = [];
        const spent = await cost(async () => {
          answers = await Promise.all(ids(USERS).map((id) => batcher.read(id)));
        });
        expect(spent).toBe(Math.ceil(USERS / MAX_IDS_PER_READ));
        return answers;
      })();
      expect(users.every((user) => user !== null)).toBe(true);
    });

    it('fails every look-up of a failed query with DirectoryUnavailableError', async () => {
      // The storage layer's own answer to a broken connection, for one read only.
      const findUsers = vi
        .spyOn(db.directory, 'findUsers')
        .mockRejectedValueOnce(
          new DirectoryUnavailableError(new Error('gone')),
        );
      try {
        const batcher = new UserReadBatcher(db.directory);
        const results = await Promise.allSettled(
          ['user-1', 'user-2'].map((id) => batcher.read(id)),
        );
        expect(results.map((result) => result.status)).toEqual([
          'rejected',
          'rejected',
        ]);
        for (const result of results) {
          expect((result as PromiseRejectedResult).reason).toBeInstanceOf(
            DirectoryUnavailableError,
          );
        }
        // The next turn's read is a new query, which succeeds.
        expect(await batcher.read('user-1')).toMatchObject({ id: 'user-1' });
      } finally {
        findUsers.mockRestore();
      }
    });
  },
);
