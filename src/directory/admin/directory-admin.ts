import type { AliasedRawBuilder, Kysely, Transaction } from 'kysely';
import type { ChannelGrant } from '../channel-grant';
import type { DirectoryDatabase } from '../directory-schema';
import type { DirectoryUser } from '../directory-user';
import { DirectoryUnavailableError } from '../directory.errors';

export type DirectoryTransaction = Transaction<DirectoryDatabase>;

/** Above this many users, a write is announced as one reset (as PostgreSQL's triggers do). */
const BULK_USERS = 100;

/** A row of a listing page: `user_info` and the watchlist as the database hands them over. */
export interface StoredUserRow {
  id: string;
  user_info: unknown;
  watchlist: unknown;
}

/** `user_info` as both backends store it: JSON text (PostgreSQL casts it to jsonb). */
export const encodeUserInfo = (user: DirectoryUser): string | null =>
  user.userInfo == null ? null : JSON.stringify(user.userInfo);

/**
 * The write port of the built-in schema, for the directory CLI, demo mode and tests (the service
 * itself only reads, through UserDirectory): users in bulk, in one transaction (written in
 * batches: multi-row statements are what make 100 000 users take seconds), group memberships and
 * channel grants, and reading everyone back in pages. What differs by database lives in one
 * adapter per backend (`postgres.directory-admin.ts`, `sqlite.directory-admin.ts`).
 */
/** The demo policy's relation reads this table (demo mode only). */
export const DEMO_DOCUMENT_VIEWERS = 'demo_document_viewers';

export abstract class DirectoryAdmin {
  constructor(protected readonly db: Kysely<DirectoryDatabase>) {}

  /** Users per round of statements (and per progress report). */
  protected abstract readonly batchUsers: number;

  /** Writes one batch of users and replaces their watchlists; the caller holds the transaction. */
  protected abstract writeBatch(
    trx: DirectoryTransaction,
    batch: readonly DirectoryUser[],
  ): Promise<void>;

  /** First statement of every transaction of ours. */
  protected abstract beginTransaction(trx: DirectoryTransaction): Promise<void>;

  /** Around a write of more than BULK_USERS users, inside its transaction. */
  protected abstract beginBulk(trx: DirectoryTransaction): Promise<void>;
  protected abstract endBulk(
    trx: DirectoryTransaction,
    users: number,
  ): Promise<void>;

  /** After every committed write. */
  protected abstract afterWrite(): Promise<void>;

  /** Each user's watchlist in the listing query itself, in order, as column `watchlist`. */
  protected abstract watchlistColumn(): AliasedRawBuilder<unknown, 'watchlist'>;

  /** A listing row as a directory user. */
  protected abstract decodeRow(row: StoredUserRow): DirectoryUser;

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
        await this.beginTransaction(trx);
        const bulk = users.length > BULK_USERS;
        if (bulk) await this.beginBulk(trx);
        for (let start = 0; start < users.length; start += this.batchUsers) {
          const batch = users.slice(start, start + this.batchUsers);
          await this.writeBatch(trx, batch);
          onProgress?.(start + batch.length);
        }
        if (bulk) await this.endBulk(trx, users.length);
      }),
    );
    await this.afterWrite();
  }

  /** Removes a user (and their watchlist); answers whether there was one. */
  /**
   * Demo mode's table for the demo policy's relation (`presence-doc-{doc}`): created when missing,
   * rows added when missing, never overwritten. Not part of the directory's schema.
   */
  async ensureDemoDocuments(
    viewers: readonly { docId: string; userId: string; userInfo: object }[],
  ): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table outside DirectoryDatabase
    const db = this.db as unknown as Kysely<any>;
    await db.schema
      .createTable(DEMO_DOCUMENT_VIEWERS)
      .ifNotExists()
      .addColumn('doc_id', 'text', (column) => column.notNull())
      .addColumn('user_id', 'text', (column) => column.notNull())
      .addColumn('user_info', 'text')
      .addPrimaryKeyConstraint('demo_document_viewers_pk', [
        'doc_id',
        'user_id',
      ])
      .execute();
    await db
      .insertInto(DEMO_DOCUMENT_VIEWERS)
      .values(
        viewers.map(({ docId, userId, userInfo }) => ({
          doc_id: docId,
          user_id: userId,
          user_info: JSON.stringify(userInfo),
        })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }

  async removeUser(id: string): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('directory_users')
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    await this.afterWrite();
    return Number(result.numDeletedRows) > 0;
  }

  /** Adds a user to a group; adding twice changes nothing. */
  async addGroupMember(groupId: string, userId: string): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('directory_group_members')
        .values({ group_id: groupId, user_id: userId })
        .onConflict((conflict) => conflict.doNothing())
        .execute(),
    );
    await this.afterWrite();
  }

  /** Answers whether the user was a member. */
  async removeGroupMember(groupId: string, userId: string): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('directory_group_members')
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
    await this.afterWrite();
    return Number(result.numDeletedRows) > 0;
  }

  /** Stores a grant; granting twice changes nothing. */
  async grantChannel(grant: ChannelGrant): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('directory_channel_grants')
        .values({
          subject_kind: grant.subject,
          subject_id: grant.subjectId,
          channel_pattern: grant.channelPattern,
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute(),
    );
    await this.afterWrite();
  }

  /** Answers whether there was such a grant. */
  async revokeChannel(grant: ChannelGrant): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('directory_channel_grants')
        .where('subject_kind', '=', grant.subject)
        .where('subject_id', '=', grant.subjectId)
        .where('channel_pattern', '=', grant.channelPattern)
        .executeTakeFirst(),
    );
    await this.afterWrite();
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
            await this.beginTransaction(trx);
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
              await handleOwnErrors(rows.map((row) => this.decodeRow(row)));
              after = rows[rows.length - 1].id;
            }
          }),
      () => handlerFailure,
    );
  }

  protected async guard<T>(
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
