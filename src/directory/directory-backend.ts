import type { DirectoryChangeFeed } from './changes/directory-change-feed';
import type { UserDirectory } from './user-directory';

/**
 * What `DIRECTORY_URL` and the custom-query settings open, once, at boot: the storage adapter
 * and the change feed that goes with it (on SQLite they share one connection).
 */
export class DirectoryBackend {
  constructor(
    readonly directory: UserDirectory,
    readonly changes: DirectoryChangeFeed,
  ) {}
}
