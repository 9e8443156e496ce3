import type { StoredChannelAccess } from '../channel-grant';
import { UserDirectory } from '../user-directory';

/**
 * What every custom-query backend shares: channel grants live in the built-in schema only, so
 * with your own schema no user holds any (policy file rules and the built-in rule still apply).
 */
export abstract class ReadOnlyUserDirectory extends UserDirectory {
  findChannelAccess(): Promise<StoredChannelAccess> {
    return Promise.resolve({ groups: [], grants: [] });
  }
}
