import { Kysely, Migrator, sql } from 'kysely';
import type { DirectoryDatabase, StorageKind } from '../directory-schema';
import type { ChannelGrant, StoredChannelAccess } from '../channel-grant';
import type { DirectoryUser } from '../directory-user';
import { DirectoryUnavailableError } from '../directory.errors';
import {
  directoryMigrations,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
} from '../migrations';
import { DirectoryHealth, UserDirectory } from '../user-directory';
import * as grants from './kysely.channel-grants';

/**
 * The built-in schema through one query layer. The two backends differ only in how they open
 * the connection and how `user_info` travels (jsonb on PostgreSQL, JSON text on SQLite).
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
      userInfo: this.decodeUserInfo(row.user_info),
      watchlist: watched.map((entry) => entry.watched_id),
    };
  }

  async upsertUser(user: DirectoryUser): Promise<void> {
    const userInfo =
      user.userInfo == null ? null : JSON.stringify(user.userInfo);
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('directory_users')
          .values({ id: user.id, user_info: userInfo })
          .onConflict((conflict) =>
            conflict.column('id').doUpdateSet({
              user_info: userInfo,
              updated_at: sql`CURRENT_TIMESTAMP`,
            }),
          )
          .execute();
        await trx
          .deleteFrom('directory_watchlist')
          .where('user_id', '=', user.id)
          .execute();
        if (user.watchlist.length > 0) {
          await trx
            .insertInto('directory_watchlist')
            .values(
              user.watchlist.map((watchedId, position) => ({
                user_id: user.id,
                position,
                watched_id: watchedId,
              })),
            )
            .execute();
        }
      }),
    );
  }

  async removeUser(id: string): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('directory_users')
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  findChannelAccess(userId: string): Promise<StoredChannelAccess> {
    return this.guard(() => grants.findChannelAccess(this.db, userId));
  }

  async addGroupMember(groupId: string, userId: string): Promise<void> {
    await this.guard(() => grants.addGroupMember(this.db, groupId, userId));
  }

  removeGroupMember(groupId: string, userId: string): Promise<boolean> {
    return this.guard(() => grants.removeGroupMember(this.db, groupId, userId));
  }

  async grantChannel(grant: ChannelGrant): Promise<void> {
    await this.guard(() => grants.grantChannel(this.db, grant));
  }

  revokeChannel(grant: ChannelGrant): Promise<boolean> {
    return this.guard(() => grants.revokeChannel(this.db, grant));
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

  private decodeUserInfo(stored: unknown): unknown {
    return decodeUserInfo(this.kind, stored);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
  }
}

/** `user_info` as stored: parsed jsonb on PostgreSQL, JSON text on SQLite. */
export function decodeUserInfo(kind: StorageKind, stored: unknown): unknown {
  if (kind === 'postgres' || typeof stored !== 'string') return stored;
  try {
    return JSON.parse(stored);
  } catch {
    // Left as text: the user rules then refuse it as "not a JSON object".
    return stored;
  }
}
