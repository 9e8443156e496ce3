import { DirectoryToolConfig } from '../config/directory.config';
import { ChannelAccessAdmin } from '../directory/admin/channel-access.admin';
import { DirectoryAdmin } from '../directory/admin/directory-admin';
import {
  DirectoryConnection,
  openDirectoryConnection,
} from '../directory/backends/directory-connection';
import { openUserDirectory } from '../directory/backends/open-directory-backend';
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
  private readonly connection: DirectoryConnection;
  private readonly customQueries: boolean;

  private constructor(config: DirectoryToolConfig) {
    const { directory } = config;
    this.customQueries = directory.userQuery !== undefined;
    this.rules = new UserRules(
      config.userRules.watchlistMax,
      config.userRules.userInfoMaxBytes,
    );
    this.connection = openDirectoryConnection(directory.url, {
      readOnly: this.customQueries,
    });
    this.directory = openUserDirectory(
      this.connection,
      directory.userQuery === undefined
        ? undefined
        : { user: directory.userQuery, watchlist: directory.watchlistQuery },
    );
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
    if (this.customQueries) {
      throw new CliError(
        'DIRECTORY_USER_QUERY is set: the service reads your own tables, so manage users there (this command works on the built-in tables only; `get` shows what your queries return)',
        EXIT.usage,
      );
    }
    return new DirectoryAdmin(this.connection.db, this.connection.kind);
  }

  /** Channel grants and group memberships: built-in tables only, like the users. */
  accessAdmin(): ChannelAccessAdmin {
    if (this.customQueries) {
      throw new CliError(
        'DIRECTORY_USER_QUERY is set: the service then reads no grants or groups from the directory (they live in the built-in tables only)',
        EXIT.usage,
      );
    }
    return new ChannelAccessAdmin(this.connection.db);
  }

  async close(): Promise<void> {
    await this.directory.close();
  }
}
