import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { DirectoryDatabase } from '../directory-schema';
import { DirectoryUnavailableError } from '../directory.errors';

const logger = new Logger('UserDirectory');

/** An open storage connection: Kysely for the built-in schema, the driver for raw SQL. */
export type DirectoryConnection =
  | { kind: 'postgres'; db: Kysely<DirectoryDatabase>; pool: Pool }
  | {
      kind: 'sqlite';
      db: Kysely<DirectoryDatabase>;
      sqlite: Database.Database;
    };

export interface ConnectionOptions {
  /**
   * Your own tables (custom queries): a SQLite file is opened read-only and must exist, since
   * creating an empty one would only hide a wrong path. (On PostgreSQL, use a read-only role.)
   */
  readOnly?: boolean;
}

/** Opens what `DIRECTORY_URL` names. The URL was validated with the config. */
export function openDirectoryConnection(
  url: string,
  options: ConnectionOptions = {},
): DirectoryConnection {
  return url.startsWith('sqlite://')
    ? openSqlite(url, options)
    : openPostgres(url);
}

function openPostgres(connectionString: string): DirectoryConnection {
  const pool = new Pool({
    connectionString,
    max: 10,
    // Bounded waits turn an unreachable database into a prompt 503 instead of a hung request.
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'pusher-auth',
  });
  // A connection that dies emits 'error' on its client, even while checked out for a query
  // (Kysely adds no listener then): unhandled, that crashes the process. The query itself
  // still fails, and becomes a 503.
  pool.on('connect', (client) =>
    client.on('error', (error) =>
      logger.warn(`PostgreSQL connection lost: ${error.message}`),
    ),
  );
  // The pool re-emits idle clients' errors, already logged above.
  pool.on('error', () => undefined);
  const db = new Kysely<DirectoryDatabase>({
    dialect: new PostgresDialect({ pool }),
  });
  return { kind: 'postgres', db, pool };
}

/** `sqlite://./relative.db`, `sqlite:///absolute.db` or `sqlite://:memory:`. */
export function sqliteFileFromUrl(url: string): string {
  const location = url.slice('sqlite://'.length);
  return location === ':memory:' ? location : resolve(location);
}

function openSqlite(
  url: string,
  options: ConnectionOptions,
): DirectoryConnection {
  const sqlite = openSqliteFile(sqliteFileFromUrl(url), options);
  // Waits out a writer's lock (the CLI importing) instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DirectoryDatabase>({
    dialect: new SqliteDialect({ database: sqlite }),
  });
  return { kind: 'sqlite', db, sqlite };
}

function openSqliteFile(
  file: string,
  options: ConnectionOptions,
): Database.Database {
  try {
    if (options.readOnly && file !== ':memory:') {
      return new Database(file, { readonly: true, fileMustExist: true });
    }
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new Database(file);
    // WAL lets the directory CLI write while the service reads.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    return sqlite;
  } catch (error) {
    throw new DirectoryUnavailableError(error);
  }
}
