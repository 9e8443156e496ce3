import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createTestDatabase, POSTGRES_URL } from './postgres';

/** An application's own database: its tables, filled by the test, read by the service. */
export interface OwnDatabase {
  /** What the service connects with (on PostgreSQL: a role that may only SELECT). */
  url: string;
  exec(statement: string): Promise<void>;
  cleanup(): Promise<void>;
}

const OWN_TABLES = [
  `CREATE TABLE users (id varchar(64) PRIMARY KEY, display_name text NOT NULL,
     avatar_url text NOT NULL, active boolean NOT NULL DEFAULT true)`,
  `CREATE TABLE follows (follower_id varchar(64) NOT NULL REFERENCES users (id),
     followee_id varchar(64) NOT NULL REFERENCES users (id), followed_at integer NOT NULL,
     PRIMARY KEY (follower_id, followee_id))`,
  'CREATE TABLE profiles (id text NOT NULL, profile text)',
  'CREATE TABLE numbered (id integer PRIMARY KEY, profile text)',
];

export interface OwnBackend {
  name: string;
  open(): Promise<OwnDatabase>;
  userQuery: string;
  watchlistQuery: string;
  /** How this database tests a column against the list of ids in `$1`. */
  inIds: string;
  /** userQuery and watchlistQuery for a list of ids. */
  usersQuery: string;
  watchlistsQuery: string;
  /** How the database words a syntax error near "SELEC" and a missing table "nope". */
  syntaxError: RegExp;
  missingTable: RegExp;
}

export async function openOwnPostgres(): Promise<OwnDatabase> {
  const database = await createTestDatabase();
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  for (const statement of OWN_TABLES) await admin.query(statement);
  // The service gets a role that can read these tables and nothing else.
  const role = `directory_reader_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE ROLE ${role} LOGIN`);
  await admin.query(
    `GRANT SELECT ON users, follows, profiles, numbered TO ${role}`,
  );
  const url = new URL(database.url);
  url.username = role;
  return {
    url: url.toString(),
    exec: async (statement) => void (await admin.query(statement)),
    async cleanup() {
      await admin.end();
      await database.drop();
      const root = new Client({ connectionString: POSTGRES_URL });
      await root.connect();
      await root.query(`DROP ROLE IF EXISTS ${role}`);
      await root.end();
    },
  };
}

function openOwnSqlite(): Promise<OwnDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-own-'));
  const file = join(dir, 'app.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const statement of OWN_TABLES) db.exec(statement);
  return Promise.resolve({
    url: `sqlite://${file}`,
    exec: (statement) => Promise.resolve(void db.exec(statement)),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
}

const WATCHLIST_QUERY =
  'SELECT followee_id AS id FROM follows WHERE follower_id = $1 ORDER BY followed_at LIMIT 100';

/** `$1` as a list: a text[] on PostgreSQL, a JSON array on SQLite. */
const PG_IN_IDS = '= ANY($1)';
const SQLITE_IN_IDS = 'IN (SELECT value FROM json_each($1))';

/** WATCHLIST_QUERY for several users: each user's first 100 follows, in order. */
const watchlistsOf = (inIds: string) =>
  `SELECT user_id, id FROM (SELECT follower_id AS user_id, followee_id AS id,
     row_number() OVER (PARTITION BY follower_id ORDER BY followed_at) AS n
     FROM follows WHERE follower_id ${inIds}) AS w
   WHERE n <= 100 ORDER BY user_id, n`;

export const OWN_BACKENDS: OwnBackend[] = [
  {
    name: 'PostgreSQL (read-only role)',
    open: openOwnPostgres,
    userQuery:
      "SELECT jsonb_build_object('name', display_name, 'avatar', avatar_url) AS user_info FROM users WHERE id = $1 AND active",
    watchlistQuery: WATCHLIST_QUERY,
    inIds: PG_IN_IDS,
    usersQuery: `SELECT id, jsonb_build_object('name', display_name, 'avatar', avatar_url) AS user_info FROM users WHERE id ${PG_IN_IDS} AND active`,
    watchlistsQuery: watchlistsOf(PG_IN_IDS),
    syntaxError: /syntax error at or near "SELEC"/,
    missingTable: /relation "nope" does not exist/,
  },
  {
    name: 'SQLite file (opened read-only)',
    open: openOwnSqlite,
    userQuery:
      "SELECT json_object('name', display_name, 'avatar', avatar_url) AS user_info FROM users WHERE id = $1 AND active",
    watchlistQuery: WATCHLIST_QUERY,
    inIds: SQLITE_IN_IDS,
    usersQuery: `SELECT id, json_object('name', display_name, 'avatar', avatar_url) AS user_info FROM users WHERE id ${SQLITE_IN_IDS} AND active`,
    watchlistsQuery: watchlistsOf(SQLITE_IN_IDS),
    syntaxError: /near "SELEC": syntax error/,
    missingTable: /no such table: nope/,
  },
];

/**
 * The rows the custom-query specs read: users with and without follows, one inactive, and rows
 * that break the user rules (too long, a bad watched id, two rows, not JSON, an array).
 */
export async function seedOwnTables(own: OwnDatabase): Promise<void> {
  const long = 'L'.repeat(1100);
  await own.exec(`INSERT INTO users (id, display_name, avatar_url, active) VALUES
    ('alice', 'Alice A.', 'https://example.com/alice.png', true),
    ('bob', 'Bob B.', 'https://example.com/bob.png', true),
    ('carol', 'Carol C.', 'https://example.com/carol.png', true),
    ('gone', 'Gone G.', 'https://example.com/gone.png', false),
    ('verbose', '${long}', 'https://example.com/v.png', true),
    ('bad id', 'Bad', 'https://example.com/b.png', true),
    ('odd', 'Odd O.', 'https://example.com/o.png', true)`);
  await own.exec(`INSERT INTO follows (follower_id, followee_id, followed_at) VALUES
    ('alice', 'carol', 2), ('alice', 'bob', 1), ('bob', 'alice', 1), ('odd', 'bad id', 1)`);
  await own.exec(`INSERT INTO profiles (id, profile) VALUES
    ('twice', '{}'), ('twice', '{}'), ('text-json', '{"ok":true}'),
    ('not-json', 'hello'), ('array', '[1,2]'), ('nulled', NULL)`);
  await own.exec(`INSERT INTO numbered (id, profile) VALUES (42, '{"n":42}')`);
}

/** What the backends' user and watchlist queries make of the seeded users who can sign in. */
export const SEEDED = {
  alice: {
    userInfo: { name: 'Alice A.', avatar: 'https://example.com/alice.png' },
    watchlist: ['bob', 'carol'],
  },
  bob: {
    userInfo: { name: 'Bob B.', avatar: 'https://example.com/bob.png' },
    watchlist: ['alice'],
  },
  carol: {
    userInfo: { name: 'Carol C.', avatar: 'https://example.com/carol.png' },
    watchlist: [],
  },
};

/** The answer to a seeded user's sign-in: the user object as signed (no empty watchlist). */
export function signedAs(id: keyof typeof SEEDED) {
  const { userInfo, watchlist } = SEEDED[id];
  return {
    status: 200,
    user: {
      id,
      user_info: userInfo,
      ...(watchlist.length > 0 ? { watchlist } : {}),
    },
  };
}
