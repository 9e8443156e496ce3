import { DirectoryToolConfig } from '../config/directory.config';
import { ChannelAccessAdmin } from '../directory/admin/channel-access.admin';
import type { DirectoryAdmin } from '../directory/admin/directory-admin';
import type { DirectoryConnection } from '../directory/backends/directory-connection';
import { openDirectoryStorage } from '../directory/backends/open-directory-backend';
import type { UserDirectory } from '../directory/user-directory';
import { UserRules } from '../directory/user-rules';
import { CliError, EXIT } from './cli-error';

/**
 * The directory as the CLI sees it: the same backend the service would open, plus bulk
 * operations on the built-in schema. Opened only once a command runs (so `--help` needs no
 * database), migrated like the service does at start-up.
 */
export class DirectorySession {
  readonly rules: UserRules;
  readonly directory: UserDirectory;
  /** None with custom queries: your own tables are managed by you. */
  private readonly writer?: DirectoryAdmin;
  private readonly connection: DirectoryConnection;

  private constructor(config: DirectoryToolConfig) {
    this.rules = new UserRules(
      config.userRules.watchlistMax,
      config.userRules.userInfoMaxBytes,
    );
    const storage = openDirectoryStorage(config.directory);
    this.directory = storage.directory;
    this.writer = storage.admin;
    this.connection = storage.connection;
  }

  static async open(config: DirectoryToolConfig): Promise<DirectorySession> {
    const session = new DirectorySession(config);
    try {
      await session.directory.migrate();
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Writes and listings work on the built-in tables only. */
  admin(): DirectoryAdmin {
    if (!this.writer) {
      throw new CliError(
        'DIRECTORY_USER_QUERY is set: the service reads your own tables, so manage users there (this command works on the built-in tables only; `get` shows what your queries return)',
        EXIT.usage,
      );
    }
    return this.writer;
  }

  /** Channel grants and group memberships: built-in tables only, like the users. */
  accessAdmin(): ChannelAccessAdmin {
    if (!this.writer) {
      throw new CliError(
        'DIRECTORY_USER_QUERY is set: the service then reads no grants or groups from the directory (they live in the built-in tables only)',
        EXIT.usage,
      );
    }
    return new ChannelAccessAdmin(this.connection.db, this.writer);
  }

  async close(): Promise<void> {
    await this.directory.close();
  }
}
