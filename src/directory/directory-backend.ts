import type Database from 'better-sqlite3';
import type { DirectoryAdmin } from './admin/directory-admin';
import type { DirectoryChangeFeed } from './changes/directory-change-feed';
import type { RevocationLog } from './revocations/revocation-log';
import type { UserDirectory } from './user-directory';

/**
 * What `DIRECTORY_URL` and the custom-query settings open, once, at boot: the storage adapter,
 * the change feed that goes with it (on SQLite they share one connection), the writing side of
 * the built-in schema (none for your own tables: this service never writes those), and the
 * reader of its revocation log (never read with your own tables: the configuration refuses
 * TERMINATE_ON_REVOKE there).
 */
export class DirectoryBackend {
  constructor(
    readonly directory: UserDirectory,
    readonly changes: DirectoryChangeFeed,
    readonly admin: DirectoryAdmin | undefined,
    readonly revocations: RevocationLog,
    /**
     * The SQLite handle itself, when the directory is a SQLite database: relation queries on the
     * directory's own database share it (an in-memory database exists only on its handle).
     */
    readonly sqlite?: Database.Database,
  ) {}
}
