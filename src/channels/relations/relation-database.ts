import Database from 'better-sqlite3';
import { DatabaseError, Pool } from 'pg';
import { sqliteFileFromUrl } from '../../directory/backends/directory-connection';
import { toPositional } from './relation-spec';

export type Row = Record<string, unknown>;

/** A relation query that cannot be used: the message is the database's, the rule names it. */
export class RelationQueryError extends Error {}

/**
 * Where `sql` relations run: `CHANNEL_DATA_URL`, or the directory's database. Always read-only
 * (PostgreSQL: every transaction of this pool is; SQLite: opened read-only, and only statements
 * that write nothing are accepted), and on PostgreSQL bounded by a statement timeout.
 */
export abstract class RelationDatabase {
  /** Parses, plans and permission-checks a query at start-up (NULL for every parameter). */
  abstract check(query: string, parameters: readonly string[]): Promise<void>;

  /** @throws an Error when the database cannot answer (the channel is then answered 503) */
  abstract rows(
    query: string,
    parameters: readonly string[],
    values: Readonly<Record<string, string>>,
  ): Promise<Row[]>;

  abstract close(): Promise<void>;
}

/**
 * @param directorySqlite the directory's own SQLite handle, used when `url` is the directory's
 *   (an in-memory database exists only on its handle; the directory owns and closes it)
 */
export function openRelationDatabase(
  url: string,
  timeoutMs: number,
  directorySqlite?: Database.Database,
): RelationDatabase {
  if (!url.startsWith('sqlite://')) {
    return new PostgresRelationDatabase(url, timeoutMs);
  }
  return directorySqlite
    ? new SqliteRelationDatabase(directorySqlite, false)
    : new SqliteRelationDatabase(openReadOnly(sqliteFileFromUrl(url)), true);
}

function openReadOnly(file: string): Database.Database {
  const sqlite = new Database(file, {
    readonly: file !== ':memory:',
    fileMustExist: file !== ':memory:',
  });
  sqlite.pragma('busy_timeout = 2000');
  return sqlite;
}

/** SQLSTATE classes that mean the server or the link failed, not the query. */
const SERVER_TROUBLE = /^(08|53|57|58|XX)/;

class PostgresRelationDatabase extends RelationDatabase {
  private readonly pool: Pool;

  constructor(connectionString: string, timeoutMs: number) {
    super();
    this.pool = new Pool({
      connectionString,
      max: 5,
      connectionTimeoutMillis: 3_000,
      // The server stops the statement; the client gives up shortly after, should it not.
      query_timeout: timeoutMs + 1_000,
      options: `-c default_transaction_read_only=on -c statement_timeout=${timeoutMs}`,
      application_name: 'pusher-auth-relations',
    });
    this.pool.on('error', () => undefined);
  }

  async check(query: string, parameters: readonly string[]): Promise<void> {
    try {
      await this.pool.query({
        text: toPositional(query, parameters),
        values: parameters.map(() => null),
      });
    } catch (error) {
      if (
        error instanceof DatabaseError &&
        !SERVER_TROUBLE.test(error.code ?? '')
      ) {
        throw new RelationQueryError(error.message);
      }
      throw error;
    }
  }

  async rows(
    query: string,
    parameters: readonly string[],
    values: Readonly<Record<string, string>>,
  ): Promise<Row[]> {
    const result = await this.pool.query<Row>({
      text: toPositional(query, parameters),
      values: parameters.map((name) => values[name]),
    });
    return result.rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * A read-only handle on the file (or the directory's own handle: only statements that write
 * nothing are accepted either way). SQLite runs queries synchronously and has no statement timeout:
 * keep relation queries on indexed columns (docs/channel-policy.md says so).
 */
class SqliteRelationDatabase extends RelationDatabase {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly owned: boolean,
  ) {
    super();
  }

  check(query: string): Promise<void> {
    return Promise.resolve().then(() => {
      let statement: Database.Statement;
      try {
        statement = this.sqlite.prepare(query);
      } catch (error) {
        throw new RelationQueryError((error as Error).message);
      }
      if (!statement.readonly || !statement.reader) {
        throw new RelationQueryError(
          'it must be a read-only query that returns rows',
        );
      }
      this.statements.set(query, statement);
    });
  }

  rows(
    query: string,
    parameters: readonly string[],
    values: Readonly<Record<string, string>>,
  ): Promise<Row[]> {
    return Promise.resolve().then(() => {
      const statement =
        this.statements.get(query) ?? this.sqlite.prepare(query);
      const bound: Record<string, string> = {};
      for (const name of parameters) bound[name] = values[name];
      return statement.all(bound) as Row[];
    });
  }

  close(): Promise<void> {
    if (this.owned) this.sqlite.close();
    return Promise.resolve();
  }
}
