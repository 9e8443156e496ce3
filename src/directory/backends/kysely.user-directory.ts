import { Kysely, Migrator, sql } from 'kysely';
import type { StoredChannelAccess } from '../channel-grant';
import type { DirectoryDatabase, StorageKind } from '../directory-schema';
import type { DirectoryUser } from '../directory-user';
import { DirectoryUnavailableError } from '../directory.errors';
import {
  directoryMigrations,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
} from '../migrations';
import { decodeJsonText } from '../stored-json';
import { DirectoryHealth, UserDirectory } from '../user-directory';

/**
 * The built-in schema through one query layer. The two backends differ only in how they open
 * the connection, their migrations, and how `user_info` travels (jsonb on PostgreSQL, JSON text
 * on SQLite).
 */
export class KyselyUserDirectory extends UserDirectory {
  constructor(
    private readonly db: Kysely<DirectoryDatabase>,
    private readonly kind: StorageKind,
  ) {
    super();
  }

  async findUser(id: string): Promise<DirectoryUser | null> {
    const [row, watched] = await this.guard(() =>
      Promise.all([
        this.db
          .selectFrom('directory_users')
          .select(['id', 'user_info'])
          .where('id', '=', id)
          .executeTakeFirst(),
        this.db
          .selectFrom('directory_watchlist')
          .select('watched_id')
          .where('user_id', '=', id)
          .orderBy('position')
          .execute(),
      ]),
    );
    if (!row) return null;
    return {
      id: row.id,
      // A jsonb string stays a string (refused by the user rules), as stored.
      userInfo:
        this.kind === 'sqlite' ? decodeJsonText(row.user_info) : row.user_info,
      watchlist: watched.map((entry) => entry.watched_id),
    };
  }

  async findChannelAccess(userId: string): Promise<StoredChannelAccess> {
    const groupsOfUser = this.db
      .selectFrom('directory_group_members')
      .select('group_id')
      .where('user_id', '=', userId);
    const [groups, grants] = await this.guard(() =>
      Promise.all([
        groupsOfUser.orderBy('group_id').execute(),
        this.db
          .selectFrom('directory_channel_grants')
          .select('channel_pattern')
          .distinct()
          .where((eb) =>
            eb.or([
              eb.and([
                eb('subject_kind', '=', 'user'),
                eb('subject_id', '=', userId),
              ]),
              eb.and([
                eb('subject_kind', '=', 'group'),
                eb('subject_id', 'in', groupsOfUser),
              ]),
            ]),
          )
          .orderBy('channel_pattern')
          .execute(),
      ]),
    );
    return {
      groups: groups.map((row) => row.group_id),
      grants: grants.map((row) => row.channel_pattern),
    };
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: directoryMigrations(this.kind),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error as Error;
  }

  /** One indexed read of the migration table: proves the connection and the schema at once. */
  override async checkHealth(): Promise<DirectoryHealth> {
    const { rows } = await this.guard(() =>
      sql<{
        name: string;
      }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(this.db),
    );
    const applied = new Set(rows.map((row) => row.name));
    const expected = Object.keys(
      await directoryMigrations(this.kind).getMigrations(),
    );
    return {
      pendingMigrations: expected.filter((name) => !applied.has(name)),
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
  }
}
