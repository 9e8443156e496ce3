import type { Statement } from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, sql } from 'kysely';
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
import type { DirectoryConnection } from './directory-connection';

interface UserRow {
  id: string;
  user_info: unknown;
  /** A JSON array of the watched ids in position order: parsed on PostgreSQL, text on SQLite. */
  watchlist: unknown;
}

/**
 * A user and their watchlist in one statement: one round trip to PostgreSQL per look-up (the
 * cache-off rows of the benchmark and every cache miss pay it), one statement on SQLite. The
 * text is fixed, so it is written once here rather than built and compiled by Kysely on every
 * look-up (that compilation was about 5% of the service's CPU under load with a cold cache).
 */
const FIND_USER_SQL: Record<StorageKind, string> = {
  postgres: `select u.id, u.user_info,
      coalesce((select json_agg(w.watched_id order by w.position)
                from directory_watchlist w where w.user_id = u.id), '[]'::json) as watchlist
    from directory_users u where u.id = $1`,
  // Aggregate ORDER BY needs SQLite 3.44 (better-sqlite3 bundles a later one).
  sqlite: `select u.id, u.user_info,
      (select json_group_array(w.watched_id order by w.position)
       from directory_watchlist w where w.user_id = u.id) as watchlist
    from directory_users u where u.id = ?`,
};

/**
 * Several users in one statement (UserReadBatcher's reads): the same columns for a list of ids,
 * a text array on PostgreSQL, a JSON array on SQLite, so one prepared text serves any count.
 */
const FIND_USERS_SQL: Record<StorageKind, string> = {
  postgres: FIND_USER_SQL.postgres.replace(
    'where u.id = $1',
    'where u.id = any($1::text[])',
  ),
  sqlite: FIND_USER_SQL.sqlite.replace(
    'where u.id = ?',
    'where u.id in (select value from json_each(?))',
  ),
};

function watchlistOf(stored: unknown): string[] {
  const list =
    typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  return Array.isArray(list) ? (list as string[]) : [];
}

/**
 * The built-in schema through one query layer. The two backends differ only in how they open
 * the connection, their migrations, and how `user_info` travels (jsonb on PostgreSQL, JSON text
 * on SQLite).
 */
export class KyselyUserDirectory extends UserDirectory {
  private readonly db: Kysely<DirectoryDatabase>;
  private readonly kind: StorageKind;
  /**
   * SQLite only: the look-up prepared once and reused. Kysely's SQLite driver prepares every
   * statement it runs, and preparing this one cost more than running it (about 3% of the
   * service's CPU in the benchmark's main row, where one sign-in in ten reloads its user).
   * Prepared on first use, since the tables exist only once `migrate()` has run.
   */
  private sqliteFindUser?: Statement<[string], UserRow>;
  private sqliteFindUsers?: Statement<[string], UserRow>;

  constructor(private readonly connection: DirectoryConnection) {
    super();
    this.db = connection.db;
    this.kind = connection.kind;
  }

  async findUser(id: string): Promise<DirectoryUser | null> {
    const row = await this.guard(() => this.readUser(id));
    return row ? this.userOf(row) : null;
  }

  /** One statement for every id: one round trip to PostgreSQL for the whole list. */
  override async findUsers(
    ids: readonly string[],
  ): Promise<Map<string, DirectoryUser | null>> {
    if (ids.length === 1) {
      return new Map([[ids[0], await this.findUser(ids[0])]]);
    }
    const rows = await this.guard(() => this.readUsers(ids));
    const found = new Map<string, DirectoryUser | null>(
      ids.map((id) => [id, null]),
    );
    for (const row of rows) found.set(row.id, this.userOf(row));
    return found;
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

  private userOf(row: UserRow): DirectoryUser {
    return {
      id: row.id,
      // A jsonb string stays a string (refused by the user rules), as stored.
      userInfo:
        this.kind === 'sqlite' ? decodeJsonText(row.user_info) : row.user_info,
      watchlist: watchlistOf(row.watchlist),
    };
  }

  private async readUsers(ids: readonly string[]): Promise<UserRow[]> {
    if (this.connection.kind === 'sqlite') {
      this.sqliteFindUsers ??= this.connection.sqlite.prepare<
        [string],
        UserRow
      >(FIND_USERS_SQL.sqlite);
      return this.sqliteFindUsers.all(JSON.stringify(ids));
    }
    const { rows } = await this.db.executeQuery<UserRow>(
      CompiledQuery.raw(FIND_USERS_SQL.postgres, [ids]),
    );
    return rows;
  }

  private async readUser(id: string): Promise<UserRow | undefined> {
    if (this.connection.kind === 'sqlite') {
      this.sqliteFindUser ??= this.connection.sqlite.prepare<[string], UserRow>(
        FIND_USER_SQL.sqlite,
      );
      return this.sqliteFindUser.get(id);
    }
    const { rows } = await this.db.executeQuery<UserRow>(
      CompiledQuery.raw(FIND_USER_SQL.postgres, [id]),
    );
    return rows[0];
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
  }
}
