import type { Kysely } from 'kysely';
import type { ChannelGrant, StoredChannelAccess } from '../channel-grant';
import type { DirectoryDatabase } from '../directory-schema';

/**
 * The channel-grant queries of KyselyUserDirectory (migration 0002), the same on both backends.
 * The caller wraps each in its guard, so driver errors become DirectoryUnavailableError.
 */
type Db = Kysely<DirectoryDatabase>;

export async function findChannelAccess(
  db: Db,
  userId: string,
): Promise<StoredChannelAccess> {
  const groupsOfUser = db
    .selectFrom('directory_group_members')
    .select('group_id')
    .where('user_id', '=', userId);
  const [groups, grants] = await Promise.all([
    groupsOfUser.orderBy('group_id').execute(),
    db
      .selectFrom('directory_channel_grants')
      .select('channel_pattern')
      .distinct()
      .where((eb) =>
        eb.or([
          eb.and([
            eb('subject_kind', '=', 'user'),
            eb('subject_id', '=', userId),
          ]),
          eb.and([
            eb('subject_kind', '=', 'group'),
            eb('subject_id', 'in', groupsOfUser),
          ]),
        ]),
      )
      .orderBy('channel_pattern')
      .execute(),
  ]);
  return {
    groups: groups.map((row) => row.group_id),
    grants: grants.map((row) => row.channel_pattern),
  };
}

export async function addGroupMember(
  db: Db,
  groupId: string,
  userId: string,
): Promise<void> {
  await db
    .insertInto('directory_group_members')
    .values({ group_id: groupId, user_id: userId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export async function removeGroupMember(
  db: Db,
  groupId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('directory_group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function grantChannel(db: Db, grant: ChannelGrant): Promise<void> {
  await db
    .insertInto('directory_channel_grants')
    .values({
      subject_kind: grant.subject,
      subject_id: grant.subjectId,
      channel_pattern: grant.channelPattern,
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export async function revokeChannel(
  db: Db,
  grant: ChannelGrant,
): Promise<boolean> {
  const result = await db
    .deleteFrom('directory_channel_grants')
    .where('subject_kind', '=', grant.subject)
    .where('subject_id', '=', grant.subjectId)
    .where('channel_pattern', '=', grant.channelPattern)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
