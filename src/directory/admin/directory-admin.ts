import { Kysely, sql } from 'kysely';
import { decodeUserInfo } from '../backends/kysely.user-directory';
import type { DirectoryDatabase, StorageKind } from '../directory-schema';
import type { DirectoryUser } from '../directory-user';
import { DirectoryUnavailableError } from '../directory.errors';

/**
 * Rows per INSERT. Multi-row statements are what make a 100 000-user import take seconds; at
 * 3 parameters a row this stays far below PostgreSQL's 65 535 and SQLite's 32 766 bind limits.
 */
const BATCH_ROWS = 2_000;
/** SQLite change-log entries older than this are pruned after each write (seconds). */
const CHANGE_LOG_KEEP_S = 600;

/**
 * Bulk operations on the built-in schema for the directory CLI: many users in one transaction,
 * and reading everyone back in pages.
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
    await this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        for (let start = 0; start < users.length; start += BATCH_ROWS) {
          const batch = users.slice(start, start + BATCH_ROWS);
          await trx
            .insertInto('directory_users')
            .values(
              batch.map((user) => ({
                id: user.id,
                user_info:
                  user.userInfo == null ? null : JSON.stringify(user.userInfo),
              })),
            )
            .onConflict((conflict) =>
              conflict.column('id').doUpdateSet((update) => ({
                user_info: update.ref('excluded.user_info'),
                updated_at: sql`CURRENT_TIMESTAMP`,
              })),
            )
            .execute();
          await trx
            .deleteFrom('directory_watchlist')
            .where(
              'user_id',
              'in',
              batch.map((user) => user.id),
            )
            .execute();
          const entries = batch.flatMap((user) =>
            user.watchlist.map((watchedId, position) => ({
              user_id: user.id,
              position,
              watched_id: watchedId,
            })),
          );
          for (let at = 0; at < entries.length; at += BATCH_ROWS) {
            await trx
              .insertInto('directory_watchlist')
              .values(entries.slice(at, at + BATCH_ROWS))
              .execute();
          }
          onProgress?.(start + batch.length);
        }
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
            let after: string | undefined;
            for (;;) {
              let page = trx
                .selectFrom('directory_users')
                .select(['id', 'user_info'])
                .orderBy('id')
                .limit(pageSize);
              if (after !== undefined) page = page.where('id', '>', after);
              const rows = await page.execute();
              if (rows.length === 0) return;
              const watched = await trx
                .selectFrom('directory_watchlist')
                .select(['user_id', 'watched_id'])
                .where(
                  'user_id',
                  'in',
                  rows.map((row) => row.id),
                )
                .orderBy('user_id')
                .orderBy('position')
                .execute();
              const watchlists = new Map<string, string[]>();
              for (const {
                user_id: userId,
                watched_id: watchedId,
              } of watched) {
                const list = watchlists.get(userId) ?? [];
                list.push(watchedId);
                watchlists.set(userId, list);
              }
              await handleOwnErrors(
                rows.map((row) => ({
                  id: row.id,
                  userInfo: decodeUserInfo(this.kind, row.user_info),
                  watchlist: watchlists.get(row.id) ?? [],
                })),
              );
              after = rows[rows.length - 1].id;
            }
          }),
      () => handlerFailure,
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
