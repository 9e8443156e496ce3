import type { DirectoryConfig } from '../../config/app-config';
import type { DirectoryAdmin } from '../admin/directory-admin';
import { PostgresDirectoryAdmin } from '../admin/postgres.directory-admin';
import { SqliteDirectoryAdmin } from '../admin/sqlite.directory-admin';
import type { DirectoryChangeFeed } from '../changes/directory-change-feed';
import { PostgresListenChangeFeed } from '../changes/postgres-listen.change-feed';
import { SqliteChangeLogFeed } from '../changes/sqlite-log.change-feed';
import { TtlOnlyChangeFeed } from '../changes/ttl-only.change-feed';
import { DirectoryBackend } from '../directory-backend';
import { RevocationLog } from '../revocations/revocation-log';
import type { UserDirectory } from '../user-directory';
import type { CustomQueries } from './custom-queries';
import {
  DirectoryConnection,
  openDirectoryConnection,
} from './directory-connection';
import { KyselyUserDirectory } from './kysely.user-directory';
import { PostgresQueryUserDirectory } from './postgres-query.user-directory';
import { SqliteQueryUserDirectory } from './sqlite-query.user-directory';

/** Picks the storage adapters and the change feed from the validated configuration. */
export function openDirectoryBackend(
  config: DirectoryConfig,
): DirectoryBackend {
  const { connection, directory, admin } = openDirectoryStorage(config);
  return new DirectoryBackend(
    directory,
    openChangeFeed(connection, config, admin === undefined),
    admin,
    new RevocationLog(connection.db),
    connection.kind === 'sqlite' ? connection.sqlite : undefined,
  );
}

export interface DirectoryStorage {
  connection: DirectoryConnection;
  directory: UserDirectory;
  /** The built-in schema's writer; none for your own tables (custom queries). */
  admin?: DirectoryAdmin;
}

/** The reading and writing sides on one connection (the CLI needs no change notifications). */
export function openDirectoryStorage(
  config: DirectoryConfig,
): DirectoryStorage {
  const queries: CustomQueries | undefined =
    config.userQuery === undefined
      ? undefined
      : {
          user: config.userQuery,
          watchlist: config.watchlistQuery,
          users: config.usersQuery,
          watchlists: config.watchlistsQuery,
        };
  const connection = openDirectoryConnection(config.url, {
    readOnly: queries !== undefined,
  });
  return {
    connection,
    directory: openUserDirectory(connection, queries),
    admin: queries === undefined ? openDirectoryAdmin(connection) : undefined,
  };
}

/** The reading side: the built-in schema, or your own tables through custom queries. */
export function openUserDirectory(
  connection: DirectoryConnection,
  queries?: CustomQueries,
): UserDirectory {
  if (queries === undefined) {
    return new KyselyUserDirectory(connection);
  }
  return connection.kind === 'postgres'
    ? new PostgresQueryUserDirectory(connection.pool, queries)
    : new SqliteQueryUserDirectory(connection.sqlite, queries);
}

/** The writing side of the built-in schema, on the same connection (closed with the reader). */
export function openDirectoryAdmin(
  connection: DirectoryConnection,
): DirectoryAdmin {
  return connection.kind === 'postgres'
    ? new PostgresDirectoryAdmin(connection.db)
    : new SqliteDirectoryAdmin(connection.db);
}

function openChangeFeed(
  connection: DirectoryConnection,
  config: DirectoryConfig,
  customQueries: boolean,
): DirectoryChangeFeed {
  if (connection.kind === 'postgres') {
    // Also with your own tables: your triggers may notify the same channel.
    return new PostgresListenChangeFeed(config.url, config.cacheTtlMs);
  }
  return customQueries
    ? new TtlOnlyChangeFeed('your own tables in a SQLite file')
    : new SqliteChangeLogFeed(connection.sqlite);
}
