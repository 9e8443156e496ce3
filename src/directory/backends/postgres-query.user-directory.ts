import { DatabaseError, Pool, PoolClient } from 'pg';
import { Logger } from '@nestjs/common';
import type { DirectoryUser } from '../directory-user';
import {
  DirectoryQueryError,
  DirectoryUnavailableError,
} from '../directory.errors';
import { ReadOnlyUserDirectory } from './read-only.user-directory';
import {
  checkColumns,
  CustomQueries,
  QuerySetting,
  Row,
  USER_QUERY,
  userFromRows,
  USERS_QUERY,
  WATCHLIST_QUERY,
  WATCHLISTS_QUERY,
} from './custom-queries';
import { usersFromRows, watchlistsReader } from './custom-list-queries';
import { quoteForLog } from '../../logging/truncate';

/** Named statements: each pooled connection parses and plans a query once, then reuses it. */
const STATEMENT_NAMES = {
  [USER_QUERY]: 'pusher_auth_user',
  [WATCHLIST_QUERY]: 'pusher_auth_watchlist',
  [USERS_QUERY]: 'pusher_auth_users',
  [WATCHLISTS_QUERY]: 'pusher_auth_watchlists',
} as const;

/** SQLSTATE classes that mean the server or the link failed, not the query. */
const SERVER_TROUBLE = /^(08|53|57|58|XX)/;

/** The id cannot be a key of your table (e.g. text for an integer column): an unknown user. */
class NotAKeyHere extends Error {}

/**
 * Your own PostgreSQL tables, read through DIRECTORY_USER_QUERY / DIRECTORY_WATCHLIST_QUERY, and
 * several users at once through their list forms (DIRECTORY_USERS_QUERY / ..._WATCHLISTS_QUERY).
 * Nothing is written and no migration runs, so a read-only role is enough.
 */
export class PostgresQueryUserDirectory extends ReadOnlyUserDirectory {
  private readonly logger = new Logger('UserDirectory');

  constructor(
    private readonly pool: Pool,
    private readonly queries: CustomQueries,
  ) {
    super();
  }

  /** Validates every query at start-up, in a read-only transaction that is rolled back. */
  async migrate(): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
    try {
      await client.query('BEGIN TRANSACTION READ ONLY');
      await this.check(client, USER_QUERY, this.queries.user);
      if (this.queries.watchlist !== undefined) {
        await this.check(client, WATCHLIST_QUERY, this.queries.watchlist);
      }
      if (this.queries.users !== undefined) {
        await this.check(client, USERS_QUERY, this.queries.users);
      }
      if (this.queries.watchlists !== undefined) {
        await this.check(client, WATCHLISTS_QUERY, this.queries.watchlists);
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async findUser(id: string): Promise<DirectoryUser | null> {
    try {
      const [userRows, watchlistRows] = await Promise.all([
        this.run(USER_QUERY, this.queries.user, id),
        this.readWatchlist(id),
      ]);
      return userFromRows(id, userRows, watchlistRows);
    } catch (error) {
      if (!(error instanceof NotAKeyHere)) throw error;
      return this.unknownUser(id, error);
    }
  }

  /**
   * With DIRECTORY_USERS_QUERY: one round trip for the user rows of every id, then the watchlists
   * of the users found (one round trip with DIRECTORY_WATCHLISTS_QUERY, else one per user). An id
   * a list query cannot take fails the whole statement: each id is then read alone instead, and
   * answers for itself.
   */
  override async findUsers(
    ids: readonly string[],
  ): Promise<Map<string, DirectoryUser | null | Error>> {
    const { users, watchlists } = this.queries;
    if (users === undefined || ids.length === 1) return super.findUsers(ids);
    let answers: Map<string, DirectoryUser | null | Error>;
    try {
      answers = await usersFromRows(
        ids,
        await this.run(USERS_QUERY, users, [...ids]),
        watchlistsReader(
          watchlists === undefined
            ? undefined
            : (found) => this.run(WATCHLISTS_QUERY, watchlists, found),
          (id) => this.readWatchlist(id),
        ),
      );
    } catch (error) {
      if (error instanceof NotAKeyHere) return super.findUsers(ids);
      throw error;
    }
    for (const [id, answer] of answers) {
      if (answer instanceof NotAKeyHere) {
        answers.set(id, this.unknownUser(id, answer));
      }
    }
    return answers;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * NULL binds to whatever type the query gives `$1` and matches no row: the query is parsed,
   * planned, permission-checked and run, and its columns are known, at no cost.
   */
  private async check(
    client: PoolClient,
    setting: QuerySetting,
    text: string,
  ): Promise<void> {
    let columns: string[];
    try {
      const result = await client.query({ text, values: [null] });
      columns = result.fields.map((field) => field.name);
    } catch (error) {
      if (isQueryProblem(error)) {
        throw new DirectoryQueryError(setting, error.message);
      }
      throw new DirectoryUnavailableError(error);
    }
    checkColumns(setting, columns);
  }

  private readWatchlist(id: string): Promise<Row[]> {
    return this.queries.watchlist === undefined
      ? Promise.resolve([])
      : this.run(WATCHLIST_QUERY, this.queries.watchlist, id);
  }

  /** An id that cannot be a key of your table is an unknown user. */
  private unknownUser(id: string, why: NotAKeyHere): null {
    this.logger.debug(`user ${quoteForLog(id)}: ${why.message}`);
    return null;
  }

  /** `value`: the id, or for the list queries the ids (node-postgres sends an array literal). */
  private async run(
    setting: QuerySetting,
    text: string,
    value: string | string[],
  ): Promise<Row[]> {
    try {
      const result = await this.pool.query<Row>({
        name: STATEMENT_NAMES[setting],
        text,
        values: [value],
      });
      return result.rows;
    } catch (error) {
      // Class 22, data exception: the id does not convert to the key's type.
      if (error instanceof DatabaseError && error.code?.startsWith('22')) {
        throw new NotAKeyHere(
          `${setting} cannot take this id: ${error.message}`,
        );
      }
      throw new DirectoryUnavailableError(error);
    }
  }
}

function isQueryProblem(error: unknown): error is DatabaseError {
  return (
    error instanceof DatabaseError && !SERVER_TROUBLE.test(error.code ?? '')
  );
}
