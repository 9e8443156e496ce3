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
  USER_QUERY,
  userFromRows,
  WATCHLIST_QUERY,
} from './custom-queries';

type Row = Record<string, unknown>;
type Query = Statement<[Record<string, unknown>], Row>;

/**
 * Your own tables in a SQLite file (opened read-only). SQLite reads `$1` natively, as a named
 * parameter called "1", so the same query text works on both backends.
 */
export class SqliteQueryUserDirectory extends ReadOnlyUserDirectory {
  private userStatement?: Query;
  private watchlistStatement?: Query;

  constructor(
    private readonly sqlite: Database,
    private readonly queries: CustomQueries,
  ) {
    super();
  }

  /** Prepares both queries once, at start-up; they are reused for every look-up. */
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
    });
  }

  findUser(id: string): Promise<DirectoryUser | null> {
    return Promise.resolve().then(() => {
      const parameters = { 1: id };
      let userRows: Row[];
      let watchlistRows: Row[];
      try {
        userRows = this.userStatement!.all(parameters);
        watchlistRows =
          userRows.length > 0 && this.watchlistStatement
            ? this.watchlistStatement.all(parameters)
            : [];
      } catch (error) {
        throw new DirectoryUnavailableError(error);
      }
      return userFromRows(id, userRows, watchlistRows);
    });
  }

  close(): Promise<void> {
    this.sqlite.close();
    return Promise.resolve();
  }

  private prepare(
    setting: typeof USER_QUERY | typeof WATCHLIST_QUERY,
    text: string,
  ): Query {
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
