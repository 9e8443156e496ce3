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

export interface DirectoryDatabase {
  directory_users: DirectoryUsersTable;
  directory_watchlist: DirectoryWatchlistTable;
}

export type StorageKind = 'postgres' | 'sqlite';
