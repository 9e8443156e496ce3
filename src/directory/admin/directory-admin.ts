import { Kysely, sql, Transaction } from 'kysely';
import { decodeUserInfo } from '../backends/kysely.user-directory';
import type { DirectoryDatabase, StorageKind } from '../directory-schema';
import type { DirectoryUser } from '../directory-user';
import { DirectoryUnavailableError } from '../directory.errors';
import { SQLITE_PAUSE_TABLE } from '../migrations/0003-change-notifications';
import { BATCH_USERS, upsertBatch } from './bulk-upsert';

/** Above this many users, a write is announced as one reset (as PostgreSQL's triggers do). */
const BULK_USERS = 100;
/** Imports at least this large refresh PostgreSQL's planner statistics. */
const ANALYZE_AFTER_USERS = 10_000;
/** SQLite change-log entries older than this are pruned after each write (seconds). */
const CHANGE_LOG_KEEP_S = 600;

/**
 * Bulk operations on the built-in schema for the directory CLI: many users in one transaction
 * (written in batches: multi-row statements are what make 100 000 users take seconds), and
 * reading everyone back in pages.
 */
export class DirectoryAdmin {
  constructor(
    private readonly db: Kysely<DirectoryDatabase>,
    private readonly kind: StorageKind,
  ) {}

  /**
   * Creates or replaces every user (and their whole watchlist) in one transaction: all or
   * nothing, and running it twice leaves the same directory.
   */
  async upsertUsers(
    users: readonly DirectoryUser[],
    onProgress?: (written: number) => void,
  ): Promise<void> {
    const batchSize = BATCH_USERS[this.kind];
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        await this.withoutJit(trx);
        const bulk = users.length > BULK_USERS;
        if (bulk) await this.pauseChangeLog(trx, true);
        for (let start = 0; start < users.length; start += batchSize) {
          const batch = users.slice(start, start + batchSize);
          await upsertBatch(this.kind, trx, batch);
          onProgress?.(start + batch.length);
        }
        if (this.kind === 'postgres' && users.length >= ANALYZE_AFTER_USERS) {
          // Fresh statistics: estimates left from an empty table make the planner (and its
          // JIT) take a bulk-loaded one for something else until autovacuum catches up.
          await sql`ANALYZE directory_users, directory_watchlist`.execute(trx);
        }
        if (bulk) await this.pauseChangeLog(trx, false);
      }),
    );
    await this.pruneChangeLog();
  }

  async removeUser(id: string): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('directory_users')
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    await this.pruneChangeLog();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Every user in id order, a page at a time, from one consistent snapshot (a repeatable-read
   * transaction on PostgreSQL, a read transaction on SQLite).
   */
  async forEachPage(
    pageSize: number,
    handle: (users: DirectoryUser[]) => Promise<void>,
  ): Promise<void> {
    // The handler's own failures (a closed pipe) are not storage failures: passed on as they are.
    let handlerFailure: Error | undefined;
    const handleOwnErrors = (users: DirectoryUser[]) =>
      handle(users).catch((error: unknown) => {
        handlerFailure =
          error instanceof Error ? error : new Error(String(error));
        throw handlerFailure;
      });
    await this.guard(
      () =>
        this.db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (trx) => {
            await this.withoutJit(trx);
            let after: string | undefined;
            for (;;) {
              let page = trx
                .selectFrom('directory_users as u')
                .select(['u.id', 'u.user_info', this.watchlistColumn()])
                .orderBy('u.id')
                .limit(pageSize);
              if (after !== undefined) page = page.where('u.id', '>', after);
              const rows = await page.execute();
              if (rows.length === 0) return;
              await handleOwnErrors(
                rows.map((row) => ({
                  id: row.id,
                  userInfo: decodeUserInfo(this.kind, row.user_info),
                  watchlist: decodeWatchlist(row.watchlist),
                })),
              );
              after = rows[rows.length - 1].id;
            }
          }),
      () => handlerFailure,
    );
  }

  /**
   * SQLite: a bulk write logs one "reset" instead of an entry per row (an import would log
   * eleven per user with a 5-id watchlist). PostgreSQL's triggers do the same by themselves.
   */
  private async pauseChangeLog(
    trx: Transaction<DirectoryDatabase>,
    paused: boolean,
  ): Promise<void> {
    if (this.kind !== 'sqlite') return;
    await sql`UPDATE ${sql.table(SQLITE_PAUSE_TABLE)} SET paused = ${paused ? 1 : 0}`.execute(
      trx,
    );
    if (!paused) {
      await sql`INSERT INTO directory_changes (op) VALUES ('reset')`.execute(
        trx,
      );
    }
  }

  /**
   * Our statements are short and indexed: PostgreSQL's JIT, triggered by estimates from stale
   * statistics, spent more (measured: ~240 ms a statement) compiling them than running them.
   */
  private async withoutJit(trx: Transaction<DirectoryDatabase>): Promise<void> {
    if (this.kind === 'postgres') await sql`SET LOCAL jit = off`.execute(trx);
  }

  /**
   * Each user's watchlist in the same query, in order, from the (user_id, position) key: one
   * round trip per page instead of two (halves an export's time on PostgreSQL).
   */
  private watchlistColumn() {
    return this.kind === 'postgres'
      ? sql<
          string[]
        >`ARRAY(SELECT w.watched_id FROM directory_watchlist w WHERE w.user_id = u.id ORDER BY w.position)`.as(
          'watchlist',
        )
      : sql<string>`(SELECT json_group_array(w.watched_id ORDER BY w.position) FROM directory_watchlist w WHERE w.user_id = u.id)`.as(
          'watchlist',
        );
  }

  /**
   * The SQLite change log (see SqliteChangeLogFeed) is pruned by the writer, here, so the
   * service never has to take a write lock. Ten minutes is far longer than its poll interval.
   */
  private async pruneChangeLog(): Promise<void> {
    if (this.kind !== 'sqlite') return;
    await this.guard(() =>
      sql`DELETE FROM directory_changes WHERE created_at < CAST(strftime('%s', 'now') AS INTEGER) - ${CHANGE_LOG_KEEP_S}`.execute(
        this.db,
      ),
    );
  }

  private async guard<T>(
    work: () => Promise<T>,
    notStorage: () => Error | undefined = () => undefined,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw notStorage() ?? new DirectoryUnavailableError(error);
    }
  }
}

/** An array from PostgreSQL, JSON text from SQLite. */
function decodeWatchlist(stored: string[] | string): string[] {
  return typeof stored === 'string' ? (JSON.parse(stored) as string[]) : stored;
}
