import type { DemoUser } from '../config/demo-mode';
import type { DirectoryAdmin } from './admin/directory-admin';
import type { UserDirectory } from './user-directory';

/**
 * Demo mode's users, created only when missing, never overwritten: a demo user changed with the
 * CLI keeps the change across restarts, and one that was removed is created again at the next
 * start, so the examples of the README and docs/ always have their users. Two replicas starting at once may both
 * create a user; they write the same record.
 * @returns the ids created now
 */
export async function seedMissingDemoUsers(
  directory: UserDirectory,
  admin: DirectoryAdmin,
  users: readonly DemoUser[],
): Promise<string[]> {
  const missing: DemoUser[] = [];
  for (const user of users) {
    if (!(await directory.findUser(user.id))) missing.push(user);
  }
  if (missing.length > 0) await admin.upsertUsers(missing);
  return missing.map((user) => user.id);
}
