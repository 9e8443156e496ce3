import type { Migration, MigrationProvider } from 'kysely';
import type { StorageKind } from '../directory-schema';
import { usersAndWatchlists } from './0001-users-and-watchlists';
import { channelGrants } from './0002-channel-grants';
import { changeNotifications } from './0003-change-notifications';
import { channelAccessNotifications } from './0004-channel-access-notifications';
import { revocationLog } from './0005-revocation-log';

/** Versioned in code (not read from disk) so the compiled service carries its own schema. */
export function directoryMigrations(kind: StorageKind): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-users-and-watchlists': usersAndWatchlists(kind),
    '0002-channel-grants': channelGrants(),
    '0003-change-notifications': changeNotifications(kind),
    '0004-channel-access-notifications': channelAccessNotifications(kind),
    '0005-revocation-log': revocationLog(kind),
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}

export const MIGRATION_TABLE = 'directory_migration';
export const MIGRATION_LOCK_TABLE = 'directory_migration_lock';
