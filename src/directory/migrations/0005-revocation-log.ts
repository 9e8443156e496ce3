import { Kysely, Migration, sql } from 'kysely';
import type { StorageKind } from '../directory-schema';
import { CHANGE_CHANNEL } from '../changes/directory-change';

/** Entries older than this are pruned by the triggers that write new ones (seconds). */
export const REVOCATION_LOG_KEEP_S = 600;

/**
 * Every grant or membership that is taken away is recorded in `directory_revocations` by the
 * tables' own triggers, and announced with a hint (`{"op":"revoke"}`). With TERMINATE_ON_REVOKE
 * the service reads new entries and, once the directory confirms the access is really gone, ends
 * the connections of the users who lost it.
 *
 * The entries, not the notification, are what the service trusts: on PostgreSQL any role may
 * NOTIFY any payload, but only these triggers (run with their owner's rights) write the log.
 * One row per revoked thing: a user's grant (`user_id`, `channel_pattern`), a group's grant
 * (`group_id`, `channel_pattern`) or a membership (`group_id`, `user_id`).
 */
const SHAPE = `CHECK (
       (channel_pattern IS NULL AND user_id IS NOT NULL AND group_id IS NOT NULL)
       OR (channel_pattern IS NOT NULL AND (user_id IS NULL) <> (group_id IS NULL)))`;

/** A grant row as a log row: its subject goes to the user or the group column. */
const grantAsEntry = (row: string) =>
  `CASE WHEN ${row}subject_kind = 'user' THEN ${row}subject_id END,
   CASE WHEN ${row}subject_kind = 'group' THEN ${row}subject_id END,
   ${row}channel_pattern`;

/**
 * PostgreSQL: statement-level, like migrations 0003 and 0004. An UPDATE that changes a row's key
 * revokes the old one; TRUNCATE is seen by a BEFORE trigger that still reads the rows. The
 * functions are SECURITY DEFINER (the migrating role's rights, a fixed search_path): a role allowed
 * to delete grants needs no right on the log, and a role without rights cannot write to it.
 */
const postgresUp = (schema: string) => {
  const definer = `SECURITY DEFINER SET search_path = pg_catalog, ${schema}, pg_temp`;
  const revoked = (
    table: string,
    entry: (row: string) => string,
    key: string,
  ) =>
    `CREATE FUNCTION ${table}_revoked() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO directory_revocations (user_id, group_id, channel_pattern)
          SELECT ${entry('')} FROM ${table};
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO directory_revocations (user_id, group_id, channel_pattern)
          SELECT ${entry('')} FROM old_rows;
      ELSE
        INSERT INTO directory_revocations (user_id, group_id, channel_pattern)
          SELECT ${entry('')} FROM (SELECT ${key} FROM old_rows EXCEPT SELECT ${key} FROM new_rows) AS gone;
      END IF;
      IF FOUND THEN
        PERFORM directory_revocations_logged();
      END IF;
      RETURN NULL;
    END $$`;
  return [
    `CREATE TABLE directory_revocations (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       user_id varchar(128),
       group_id varchar(128),
       channel_pattern varchar(200),
       revoked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       CONSTRAINT directory_revocations_shape ${SHAPE}
     )`,
    'CREATE INDEX directory_revocations_revoked_at_idx ON directory_revocations (revoked_at)',
    `CREATE FUNCTION directory_revocations_logged() RETURNS void LANGUAGE plpgsql ${definer} AS $$
    BEGIN
      DELETE FROM directory_revocations
        WHERE revoked_at < clock_timestamp() - interval '${REVOCATION_LOG_KEEP_S} seconds';
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"revoke"}');
    END $$`,
    // Functions are executable by every role unless revoked; this one is for the triggers only.
    'REVOKE EXECUTE ON FUNCTION directory_revocations_logged() FROM PUBLIC',
    revoked(
      'directory_channel_grants',
      grantAsEntry,
      'subject_kind, subject_id, channel_pattern',
    ),
    revoked(
      'directory_group_members',
      (row) => `${row}user_id, ${row}group_id, NULL`,
      'group_id, user_id',
    ),
    ...['directory_channel_grants', 'directory_group_members'].flatMap(
      (table) => [
        `CREATE TRIGGER ${table}_revoked AFTER DELETE ON ${table}
           REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_revoked()`,
        `CREATE TRIGGER ${table}_rekeyed AFTER UPDATE ON ${table}
           REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_revoked()`,
        `CREATE TRIGGER ${table}_truncating BEFORE TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION ${table}_revoked()`,
      ],
    ),
  ];
};

const POSTGRES_DOWN = [
  'DROP FUNCTION directory_channel_grants_revoked() CASCADE',
  'DROP FUNCTION directory_group_members_revoked() CASCADE',
  'DROP FUNCTION directory_revocations_logged()',
  'DROP TABLE directory_revocations',
];

const NOW_S = `CAST(strftime('%s', 'now') AS INTEGER)`;

/** SQLite: one entry per row, and the hint as a change-log entry the service already polls. */
const sqliteLogged = (values: string) => `
     INSERT INTO directory_revocations (user_id, group_id, channel_pattern) VALUES (${values});
     INSERT INTO directory_changes (op) VALUES ('revoke');
     DELETE FROM directory_revocations WHERE revoked_at < ${NOW_S} - ${REVOCATION_LOG_KEEP_S};`;

const SQLITE_UP = [
  `CREATE TABLE directory_revocations (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     user_id TEXT,
     group_id TEXT,
     channel_pattern TEXT,
     revoked_at INTEGER NOT NULL DEFAULT (${NOW_S}),
     ${SHAPE}
   )`,
  'CREATE INDEX directory_revocations_revoked_at_idx ON directory_revocations (revoked_at)',
  `CREATE TRIGGER directory_channel_grants_revoked AFTER DELETE ON directory_channel_grants BEGIN${sqliteLogged(grantAsEntry('OLD.'))}
   END`,
  `CREATE TRIGGER directory_channel_grants_rekeyed AFTER UPDATE ON directory_channel_grants
     WHEN OLD.subject_kind IS NOT NEW.subject_kind OR OLD.subject_id IS NOT NEW.subject_id
       OR OLD.channel_pattern IS NOT NEW.channel_pattern BEGIN${sqliteLogged(grantAsEntry('OLD.'))}
   END`,
  `CREATE TRIGGER directory_group_members_revoked AFTER DELETE ON directory_group_members BEGIN${sqliteLogged('OLD.user_id, OLD.group_id, NULL')}
   END`,
  `CREATE TRIGGER directory_group_members_rekeyed AFTER UPDATE ON directory_group_members
     WHEN OLD.group_id IS NOT NEW.group_id OR OLD.user_id IS NOT NEW.user_id BEGIN${sqliteLogged('OLD.user_id, OLD.group_id, NULL')}
   END`,
];

const SQLITE_DOWN = [
  ...['directory_channel_grants', 'directory_group_members'].flatMap(
    (table) => [
      `DROP TRIGGER ${table}_revoked`,
      `DROP TRIGGER ${table}_rekeyed`,
    ],
  ),
  'DROP TABLE directory_revocations',
];

export function revocationLog(kind: StorageKind): Migration {
  const run = async (db: Kysely<unknown>, statements: string[]) => {
    for (const statement of statements) await sql.raw(statement).execute(db);
  };
  return {
    async up(db) {
      if (kind === 'sqlite') return run(db, SQLITE_UP);
      // Pinned into the functions' search_path: the schema the migration creates the tables in.
      const { rows } = await sql<{
        schema: string;
      }>`SELECT quote_ident(current_schema()) AS schema`.execute(db);
      await run(db, postgresUp(rows[0].schema));
    },
    down: (db) => run(db, kind === 'postgres' ? POSTGRES_DOWN : SQLITE_DOWN),
  };
}
