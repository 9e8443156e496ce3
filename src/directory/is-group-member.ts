import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from './directory-schema';

/** Whether the membership row is there now (migration 0002's table, the same query on both backends). */
export async function isGroupMember(
  db: Kysely<DirectoryDatabase>,
  groupId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('directory_group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
