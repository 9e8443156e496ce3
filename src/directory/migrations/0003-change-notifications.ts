import { Kysely, Migration, sql } from 'kysely';
import type { StorageKind } from '../directory-schema';
import { CHANGE_CHANNEL } from '../changes/directory-change';

/**
 * PostgreSQL: statement-level triggers NOTIFY every replica (payloads in directory-change.ts).
 * Statement-level with transition tables so a bulk write costs one trigger call per statement,
 * and a big one sends a single "reset": identical payloads in one transaction are delivered once.
 * Removals are always sent one by one, because each may have live connections to end.
 */
const POSTGRES_UP = [
  `CREATE FUNCTION directory_notify_changed(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF cardinality(ids) > 100 THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"reset"}');
    ELSE
      PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object('op', 'change', 'id', id)::text)
        FROM unnest(ids) AS id;
    END IF;
  END $$`,
  `CREATE FUNCTION directory_notify_removed(ids text[]) RETURNS void LANGUAGE sql AS $$
    SELECT pg_notify('${CHANGE_CHANNEL}', json_build_object('op', 'delete', 'id', id)::text)
      FROM unnest(ids) AS id
  $$`,
  `CREATE FUNCTION directory_users_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"reset"}');
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM directory_notify_removed(ARRAY(SELECT id FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
      -- A renamed id is a removal of the old one.
      PERFORM directory_notify_removed(ARRAY(SELECT id FROM old_rows EXCEPT SELECT id FROM new_rows));
      PERFORM directory_notify_changed(ARRAY(SELECT id FROM new_rows));
    ELSE
      PERFORM directory_notify_changed(ARRAY(SELECT id FROM new_rows));
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION directory_watchlist_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"reset"}');
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM directory_notify_changed(ARRAY(SELECT DISTINCT user_id FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
      PERFORM directory_notify_changed(ARRAY(SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows));
    ELSE
      PERFORM directory_notify_changed(ARRAY(SELECT DISTINCT user_id FROM new_rows));
    END IF;
    RETURN NULL;
  END $$`,
  // Transition tables cannot serve a trigger with several events: one trigger per event.
  ...['directory_users', 'directory_watchlist'].flatMap((table) => [
    `CREATE TRIGGER ${table}_inserted AFTER INSERT ON ${table}
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
    `CREATE TRIGGER ${table}_updated AFTER UPDATE ON ${table}
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
    `CREATE TRIGGER ${table}_deleted AFTER DELETE ON ${table}
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
    `CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
  ]),
];

const POSTGRES_DOWN = [
  'DROP FUNCTION directory_users_notify() CASCADE',
  'DROP FUNCTION directory_watchlist_notify() CASCADE',
  'DROP FUNCTION directory_notify_changed(text[])',
  'DROP FUNCTION directory_notify_removed(text[])',
];

/** Bulk writers (an import) pause per-row entries and log one reset instead; see DirectoryAdmin. */
export const SQLITE_PAUSE_TABLE = 'directory_changes_paused';
const NOT_PAUSED = `(SELECT paused FROM ${SQLITE_PAUSE_TABLE}) = 0`;

/**
 * SQLite: no notifications, so triggers append to a change log that the service polls
 * (SqliteChangeLogFeed); AUTOINCREMENT so a pruned sequence number is never handed out again.
 * Removals are always logged, one by one: each may have live connections to end.
 */
const SQLITE_UP = [
  `CREATE TABLE directory_changes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     op TEXT NOT NULL,
     user_id TEXT,
     created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
   )`,
  // Set only inside a bulk writer's transaction and cleared before it commits, so no other
  // connection ever reads it as paused.
  `CREATE TABLE ${SQLITE_PAUSE_TABLE} (paused INTEGER NOT NULL)`,
  `INSERT INTO ${SQLITE_PAUSE_TABLE} (paused) VALUES (0)`,
  `CREATE TRIGGER directory_users_inserted AFTER INSERT ON directory_users WHEN ${NOT_PAUSED} BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('change', NEW.id);
   END`,
  `CREATE TRIGGER directory_users_updated AFTER UPDATE ON directory_users BEGIN
     INSERT INTO directory_changes (op, user_id) SELECT 'delete', OLD.id WHERE OLD.id <> NEW.id;
     INSERT INTO directory_changes (op, user_id) SELECT 'change', NEW.id WHERE ${NOT_PAUSED};
   END`,
  `CREATE TRIGGER directory_users_deleted AFTER DELETE ON directory_users BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('delete', OLD.id);
   END`,
  `CREATE TRIGGER directory_watchlist_inserted AFTER INSERT ON directory_watchlist WHEN ${NOT_PAUSED} BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('change', NEW.user_id);
   END`,
  `CREATE TRIGGER directory_watchlist_updated AFTER UPDATE ON directory_watchlist WHEN ${NOT_PAUSED} BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('change', OLD.user_id);
     INSERT INTO directory_changes (op, user_id) SELECT 'change', NEW.user_id WHERE NEW.user_id <> OLD.user_id;
   END`,
  `CREATE TRIGGER directory_watchlist_deleted AFTER DELETE ON directory_watchlist WHEN ${NOT_PAUSED} BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('change', OLD.user_id);
   END`,
];

const SQLITE_DOWN = [
  ...[
    'directory_users_inserted',
    'directory_users_updated',
    'directory_users_deleted',
    'directory_watchlist_inserted',
    'directory_watchlist_updated',
    'directory_watchlist_deleted',
  ].map((name) => `DROP TRIGGER ${name}`),
  'DROP TABLE directory_changes',
  `DROP TABLE ${SQLITE_PAUSE_TABLE}`,
];

export function changeNotifications(kind: StorageKind): Migration {
  const run = async (db: Kysely<unknown>, statements: string[]) => {
    for (const statement of statements) await sql.raw(statement).execute(db);
  };
  return {
    up: (db) => run(db, kind === 'postgres' ? POSTGRES_UP : SQLITE_UP),
    down: (db) => run(db, kind === 'postgres' ? POSTGRES_DOWN : SQLITE_DOWN),
  };
}
