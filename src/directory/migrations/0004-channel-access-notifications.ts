import { Kysely, Migration, sql } from 'kysely';
import type { StorageKind } from '../directory-schema';
import { CHANGE_CHANNEL } from '../changes/directory-change';

/**
 * Group memberships and channel grants announce their changes like users do (migration 0003), so
 * every replica reloads the channel access it cached instead of waiting for the TTL. A membership
 * or a user's grant names one user (`access`); a group's grant may reach any number of members, so
 * it asks for everyone's access to be reloaded (`access-reset`), which costs one query per user
 * on their next channel request and never a scan of the group here.
 */
const POSTGRES_UP = [
  `CREATE FUNCTION directory_notify_access(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF cardinality(ids) > 100 THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"access-reset"}');
    ELSE
      PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object('op', 'access', 'id', id)::text)
        FROM unnest(ids) AS id;
    END IF;
  END $$`,
  `CREATE FUNCTION directory_group_members_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"access-reset"}');
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM directory_notify_access(ARRAY(SELECT DISTINCT user_id FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
      PERFORM directory_notify_access(ARRAY(SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows));
    ELSE
      PERFORM directory_notify_access(ARRAY(SELECT DISTINCT user_id FROM new_rows));
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION directory_channel_grants_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    to_group boolean;
    users text[];
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"access-reset"}');
      RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
      to_group := EXISTS (SELECT 1 FROM old_rows WHERE subject_kind = 'group');
      users := ARRAY(SELECT DISTINCT subject_id FROM old_rows WHERE subject_kind = 'user');
    ELSIF TG_OP = 'UPDATE' THEN
      to_group := EXISTS (SELECT 1 FROM old_rows WHERE subject_kind = 'group')
        OR EXISTS (SELECT 1 FROM new_rows WHERE subject_kind = 'group');
      users := ARRAY(SELECT subject_id FROM old_rows WHERE subject_kind = 'user'
        UNION SELECT subject_id FROM new_rows WHERE subject_kind = 'user');
    ELSE
      to_group := EXISTS (SELECT 1 FROM new_rows WHERE subject_kind = 'group');
      users := ARRAY(SELECT DISTINCT subject_id FROM new_rows WHERE subject_kind = 'user');
    END IF;
    IF to_group THEN
      PERFORM pg_notify('${CHANGE_CHANNEL}', '{"op":"access-reset"}');
    ELSE
      PERFORM directory_notify_access(users);
    END IF;
    RETURN NULL;
  END $$`,
  // Transition tables cannot serve a trigger with several events: one trigger per event.
  ...['directory_group_members', 'directory_channel_grants'].flatMap(
    (table) => [
      `CREATE TRIGGER ${table}_inserted AFTER INSERT ON ${table}
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
      `CREATE TRIGGER ${table}_updated AFTER UPDATE ON ${table}
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
      `CREATE TRIGGER ${table}_deleted AFTER DELETE ON ${table}
         REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
      `CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION ${table}_notify()`,
    ],
  ),
];

const POSTGRES_DOWN = [
  'DROP FUNCTION directory_group_members_notify() CASCADE',
  'DROP FUNCTION directory_channel_grants_notify() CASCADE',
  'DROP FUNCTION directory_notify_access(text[])',
];

/** A grant row's entry in the SQLite change log: its user, or everyone for a group. */
const grantEntries = (row: 'NEW' | 'OLD') => `
     INSERT INTO directory_changes (op, user_id) SELECT 'access', ${row}.subject_id WHERE ${row}.subject_kind = 'user';
     INSERT INTO directory_changes (op) SELECT 'access-reset' WHERE ${row}.subject_kind = 'group';`;

/** SQLite: the same entries, appended to the change log the service polls (migration 0003). */
const SQLITE_UP = [
  `CREATE TRIGGER directory_group_members_inserted AFTER INSERT ON directory_group_members BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('access', NEW.user_id);
   END`,
  `CREATE TRIGGER directory_group_members_updated AFTER UPDATE ON directory_group_members BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('access', OLD.user_id);
     INSERT INTO directory_changes (op, user_id) SELECT 'access', NEW.user_id WHERE NEW.user_id <> OLD.user_id;
   END`,
  `CREATE TRIGGER directory_group_members_deleted AFTER DELETE ON directory_group_members BEGIN
     INSERT INTO directory_changes (op, user_id) VALUES ('access', OLD.user_id);
   END`,
  `CREATE TRIGGER directory_channel_grants_inserted AFTER INSERT ON directory_channel_grants BEGIN${grantEntries('NEW')}
   END`,
  `CREATE TRIGGER directory_channel_grants_updated AFTER UPDATE ON directory_channel_grants BEGIN${grantEntries('OLD')}${grantEntries('NEW')}
   END`,
  `CREATE TRIGGER directory_channel_grants_deleted AFTER DELETE ON directory_channel_grants BEGIN${grantEntries('OLD')}
   END`,
];

const SQLITE_DOWN = ['inserted', 'updated', 'deleted'].flatMap((event) => [
  `DROP TRIGGER directory_group_members_${event}`,
  `DROP TRIGGER directory_channel_grants_${event}`,
]);

export function channelAccessNotifications(kind: StorageKind): Migration {
  const run = async (db: Kysely<unknown>, statements: string[]) => {
    for (const statement of statements) await sql.raw(statement).execute(db);
  };
  return {
    up: (db) => run(db, kind === 'postgres' ? POSTGRES_UP : SQLITE_UP),
    down: (db) => run(db, kind === 'postgres' ? POSTGRES_DOWN : SQLITE_DOWN),
  };
}
