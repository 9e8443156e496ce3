import type { StoredChannelAccess } from '../channel-grant';
import { ReadOnlyDirectoryError } from '../directory.errors';
import { UserDirectory } from '../user-directory';

/**
 * What every custom-query backend shares: your tables are only read, never written, and channel
 * grants live in the built-in schema only, so with your own schema no user holds any (policy file
 * rules and the built-in rule still apply).
 */
export abstract class ReadOnlyUserDirectory extends UserDirectory {
  findChannelAccess(): Promise<StoredChannelAccess> {
    return Promise.resolve({ groups: [], grants: [] });
  }

  upsertUser(): Promise<void> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }

  removeUser(): Promise<boolean> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }

  addGroupMember(): Promise<void> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }

  removeGroupMember(): Promise<boolean> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }

  grantChannel(): Promise<void> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }

  revokeChannel(): Promise<boolean> {
    return Promise.reject(new ReadOnlyDirectoryError());
  }
}
