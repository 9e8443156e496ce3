import { DirectoryChangeFeed } from './directory-change-feed';

/**
 * For storage that cannot tell us about changes (your own tables in a SQLite file): a cached
 * user is reused until DIRECTORY_CACHE_TTL_MS runs out.
 */
export class TtlOnlyChangeFeed extends DirectoryChangeFeed {
  constructor(private readonly reason: string) {
    super();
  }

  start(): Promise<void> {
    this.logger.log(
      `no change notifications (${this.reason}): cached users are reused until DIRECTORY_CACHE_TTL_MS runs out`,
    );
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
