import type { Generated } from 'kysely';

/** The built-in schema's tables, prefixed so they sit beside an app's own tables. */
export interface DirectoryUsersTable {
  id: string;
  /** jsonb on PostgreSQL (parsed by the driver), JSON text on SQLite. */
  user_info: unknown;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface DirectoryWatchlistTable {
  user_id: string;
  position: number;
  watched_id: string;
}

/** Group membership: groups exist only through their members and grants. */
export interface DirectoryGroupMembersTable {
  group_id: string;
  user_id: string;
}

/** A channel pattern granted to a user or to a group (migration 0002). */
export interface DirectoryChannelGrantsTable {
  subject_kind: 'user' | 'group';
  subject_id: string;
  channel_pattern: string;
  created_at: Generated<string>;
}

/**
 * A grant or membership taken away, as the triggers of migration 0005 record it: a user's grant
 * (`user_id`, `channel_pattern`), a group's grant (`group_id`, `channel_pattern`) or a membership
 * (`group_id`, `user_id`). Read only by the service; written only by the triggers.
 */
export interface DirectoryRevocationsTable {
  /** bigint on PostgreSQL (the driver hands it over as a string), an integer on SQLite. */
  id: Generated<number | string>;
  user_id: string | null;
  group_id: string | null;
  channel_pattern: string | null;
  revoked_at: Generated<unknown>;
}

export interface DirectoryDatabase {
  directory_users: DirectoryUsersTable;
  directory_watchlist: DirectoryWatchlistTable;
  directory_group_members: DirectoryGroupMembersTable;
  directory_channel_grants: DirectoryChannelGrantsTable;
  directory_revocations: DirectoryRevocationsTable;
}

export type StorageKind = 'postgres' | 'sqlite';
