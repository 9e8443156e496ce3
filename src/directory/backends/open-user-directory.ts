import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { DirectoryDatabase } from '../directory-schema';
import { KyselyUserDirectory } from './kysely.user-directory';

const logger = new Logger('UserDirectory');

/** Opens the backend that `DIRECTORY_URL` names. The URL was validated with the config. */
export function openUserDirectory(url: string): KyselyUserDirectory {
  return url.startsWith('sqlite://') ? openSqlite(url) : openPostgres(url);
}

function openPostgres(connectionString: string): KyselyUserDirectory {
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
  return new KyselyUserDirectory(db, 'postgres');
}

/** `sqlite://./relative.db`, `sqlite:///absolute.db` or `sqlite://:memory:`. */
export function sqliteFileFromUrl(url: string): string {
  const location = url.slice('sqlite://'.length);
  return location === ':memory:' ? location : resolve(location);
}

function openSqlite(url: string): KyselyUserDirectory {
  const file = sqliteFileFromUrl(url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file);
  // WAL lets the directory CLI write while the service reads; busy_timeout waits out its locks.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<DirectoryDatabase>({
    dialect: new SqliteDialect({ database }),
  });
  return new KyselyUserDirectory(db, 'sqlite');
}
