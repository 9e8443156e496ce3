import type { DirectoryConfig } from '../../config/app-config';
import type { DirectoryChangeFeed } from '../changes/directory-change-feed';
import { PostgresListenChangeFeed } from '../changes/postgres-listen.change-feed';
import { SqliteChangeLogFeed } from '../changes/sqlite-log.change-feed';
import { TtlOnlyChangeFeed } from '../changes/ttl-only.change-feed';
import { DirectoryBackend } from '../directory-backend';
import type { UserDirectory } from '../user-directory';
import type { CustomQueries } from './custom-queries';
import {
  DirectoryConnection,
  openDirectoryConnection,
} from './directory-connection';
import { KyselyUserDirectory } from './kysely.user-directory';
import { PostgresQueryUserDirectory } from './postgres-query.user-directory';
import { SqliteQueryUserDirectory } from './sqlite-query.user-directory';

/** Picks the storage adapter and its change feed from the validated configuration. */
export function openDirectoryBackend(
  config: DirectoryConfig,
): DirectoryBackend {
  const queries: CustomQueries | undefined =
    config.userQuery === undefined
      ? undefined
      : { user: config.userQuery, watchlist: config.watchlistQuery };
  const connection = openDirectoryConnection(config.url, {
    readOnly: queries !== undefined,
  });
  return new DirectoryBackend(
    openUserDirectory(connection, queries),
    openChangeFeed(connection, config, queries !== undefined),
  );
}

/** The directory alone (the CLI has no use for change notifications). */
export function openUserDirectory(
  connection: DirectoryConnection,
  queries?: CustomQueries,
): UserDirectory {
  if (queries === undefined) {
    return new KyselyUserDirectory(connection.db, connection.kind);
  }
  return connection.kind === 'postgres'
    ? new PostgresQueryUserDirectory(connection.pool, queries)
    : new SqliteQueryUserDirectory(connection.sqlite, queries);
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
