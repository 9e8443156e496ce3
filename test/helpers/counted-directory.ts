import type { Statement } from 'better-sqlite3';
import { countingRelay } from '../../bench/lib/pg-round-trips';
import type { CustomQueries } from '../../src/directory/backends/custom-queries';
import { openDirectoryConnection } from '../../src/directory/backends/directory-connection';
import { openUserDirectory } from '../../src/directory/backends/open-directory-backend';
import type { UserDirectory } from '../../src/directory/user-directory';

/** How many statements (SQLite) or round trips (PostgreSQL) the directory has cost so far. */
export interface CountedDirectory {
  directory: UserDirectory;
  count(): number;
  close(): Promise<void>;
}

/**
 * The reading side on `url`, already migrated (or, with `queries`, validated), with its cost
 * counted from here on. SQLite: every statement better-sqlite3 runs, counted on its prototype.
 * PostgreSQL: the round trips counted on the wire by the benchmark's relay (ReadyForQuery).
 */
export async function openCountedDirectory(
  url: string,
  queries?: CustomQueries,
): Promise<CountedDirectory> {
  const readOnly = queries !== undefined;
  if (url.startsWith('sqlite:')) {
    const connection = openDirectoryConnection(url, { readOnly });
    if (connection.kind !== 'sqlite') {
      throw new Error('a SQLite URL opens SQLite');
    }
    const directory = openUserDirectory(connection, queries);
    await directory.migrate();
    const prototype = Object.getPrototypeOf(
      connection.sqlite.prepare('select 1'),
    ) as Statement;
    const runs = [vi.spyOn(prototype, 'get'), vi.spyOn(prototype, 'all')];
    return {
      directory,
      count: () => runs.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
      async close() {
        runs.forEach((spy) => spy.mockRestore());
        await directory.close();
      },
    };
  }
  const target = new URL(url);
  const relay = await countingRelay({
    host: target.hostname,
    port: Number(target.port || 5432),
  });
  const viaRelay = new URL(url);
  viaRelay.hostname = '127.0.0.1';
  viaRelay.port = String(relay.port);
  const directory = openUserDirectory(
    openDirectoryConnection(viaRelay.toString(), { readOnly }),
    queries,
  );
  await directory.migrate();
  // Open a few pooled connections now (reads run side by side), so start-ups are not counted.
  await Promise.all(
    Array.from({ length: 6 }, (_, i) => directory.findUser(String(i))),
  );
  return {
    directory,
    count: () => relay.count(),
    async close() {
      await directory.close();
      await relay.close();
    },
  };
}
