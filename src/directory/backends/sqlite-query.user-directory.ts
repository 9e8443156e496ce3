import type { Database, Statement } from 'better-sqlite3';
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

type Query = Statement<[Record<string, unknown>], Row>;

/**
 * Your own tables in a SQLite file (opened read-only). SQLite reads `$1` natively, as a named
 * parameter called "1", so the same query text works on both backends.
 */
export class SqliteQueryUserDirectory extends ReadOnlyUserDirectory {
  private userStatement?: Query;
  private watchlistStatement?: Query;
  private usersStatement?: Query;
  private watchlistsStatement?: Query;

  constructor(
    private readonly sqlite: Database,
    private readonly queries: CustomQueries,
  ) {
    super();
  }

  /** Prepares every query once, at start-up; they are reused for every look-up. */
  migrate(): Promise<void> {
    // better-sqlite3 is synchronous: run inside a promise so a throw becomes a rejection.
    return Promise.resolve().then(() => {
      this.userStatement = this.prepare(USER_QUERY, this.queries.user);
      if (this.queries.watchlist !== undefined) {
        this.watchlistStatement = this.prepare(
          WATCHLIST_QUERY,
          this.queries.watchlist,
        );
      }
      if (this.queries.users !== undefined) {
        this.usersStatement = this.prepare(USERS_QUERY, this.queries.users);
      }
      if (this.queries.watchlists !== undefined) {
        this.watchlistsStatement = this.prepare(
          WATCHLISTS_QUERY,
          this.queries.watchlists,
        );
      }
    });
  }

  findUser(id: string): Promise<DirectoryUser | null> {
    return Promise.resolve().then(() => {
      const userRows = this.all(this.userStatement!, id);
      const watchlistRows = userRows.length > 0 ? this.readWatchlist(id) : [];
      return userFromRows(id, userRows, watchlistRows);
    });
  }

  /**
   * With DIRECTORY_USERS_QUERY: one statement for every id, `$1` = the ids as a JSON array, then
   * the watchlists of the users found (one statement with DIRECTORY_WATCHLISTS_QUERY).
   */
  override async findUsers(
    ids: readonly string[],
  ): Promise<Map<string, DirectoryUser | null | Error>> {
    const { usersStatement: users, watchlistsStatement: watchlists } = this;
    if (users === undefined || ids.length === 1) return super.findUsers(ids);
    // better-sqlite3 is synchronous: its throws become rejections here and in the `then`s.
    return usersFromRows(
      ids,
      this.all(users, JSON.stringify(ids)),
      watchlistsReader(
        watchlists === undefined
          ? undefined
          : (found) =>
              Promise.resolve().then(() =>
                this.all(watchlists, JSON.stringify(found)),
              ),
        (id) => Promise.resolve().then(() => this.readWatchlist(id)),
      ),
    );
  }

  close(): Promise<void> {
    this.sqlite.close();
    return Promise.resolve();
  }

  private readWatchlist(id: string): Row[] {
    return this.watchlistStatement ? this.all(this.watchlistStatement, id) : [];
  }

  private all(statement: Query, value: string): Row[] {
    try {
      return statement.all({ 1: value });
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
  }

  private prepare(setting: QuerySetting, text: string): Query {
    let statement: Query;
    try {
      statement = this.sqlite.prepare(text);
      if (!statement.reader) {
        throw new DirectoryQueryError(
          setting,
          'it must be a query returning rows',
        );
      }
      // A run with NULL finds placeholders other than $1 (`?`, `$2`) that nothing would fill.
      statement.all({ 1: null });
    } catch (error) {
      if (error instanceof DirectoryQueryError) throw error;
      throw new DirectoryQueryError(setting, (error as Error).message);
    }
    checkColumns(
      setting,
      statement.columns().map((column) => column.name),
    );
    return statement;
  }
}
