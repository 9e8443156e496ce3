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

export interface DirectoryDatabase {
  directory_users: DirectoryUsersTable;
  directory_watchlist: DirectoryWatchlistTable;
  directory_group_members: DirectoryGroupMembersTable;
  directory_channel_grants: DirectoryChannelGrantsTable;
}

export type StorageKind = 'postgres' | 'sqlite';
