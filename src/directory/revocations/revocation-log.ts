import type { Expression, ExpressionBuilder, Kysely } from 'kysely';
import type { DirectoryDatabase } from '../directory-schema';
import { DirectoryUnavailableError } from '../directory.errors';
import { isGroupMember } from '../is-group-member';
import { decodeRevocation, Revocation, RevokedAccess } from './revocation';

/**
 * Reads the revocation log of the built-in schema (migration 0005) and checks each entry against
 * the directory as it is now: the same queries on both backends. Only read: the triggers write
 * and prune the log, so the service never takes a write lock. Your own tables (custom queries)
 * have no such log; TERMINATE_ON_REVOKE is refused with them.
 */
export class RevocationLog {
  constructor(private readonly db: Kysely<DirectoryDatabase>) {}

  /** The newest entry's id (0 for an empty log): where a replica starts reading. */
  async latestId(): Promise<number> {
    const row = await this.guard(() =>
      this.db
        .selectFrom('directory_revocations')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst(),
    );
    return Number(row?.id ?? 0);
  }

  /** Entries after `afterId`, and those of `missing` (ids skipped earlier), in id order. */
  async read(
    afterId: number,
    missing: readonly number[],
    limit: number,
  ): Promise<Revocation[]> {
    const rows = await this.guard(() =>
      this.db
        .selectFrom('directory_revocations')
        .select(['id', 'user_id', 'group_id', 'channel_pattern'])
        .where((eb) =>
          missing.length === 0
            ? eb('id', '>', afterId)
            : eb.or([eb('id', '>', afterId), eb('id', 'in', [...missing])]),
        )
        .orderBy('id')
        .limit(limit)
        .execute(),
    );
    return rows.flatMap((row) => decodeRevocation(row) ?? []);
  }

  /**
   * The users who, now, no longer hold what the entry took away, in id order, a page at a time:
   * a grant's pattern that no grant reaches them with any more (neither their own nor a group's:
   * a grant made again meanwhile counts), or a membership that is still absent. A group's grant
   * is checked for its current members.
   */
  async usersWhoLost(
    revoked: RevokedAccess,
    after: string | undefined,
    limit: number,
  ): Promise<string[]> {
    return this.guard(async () => {
      switch (revoked.kind) {
        case 'user-grant': {
          const { userId, channelPattern } = revoked;
          if (after !== undefined) return [];
          const row = await this.db
            .selectFrom('directory_channel_grants')
            .select('subject_id')
            .where((eb) => this.reaches(eb, eb.val(userId)))
            .where('channel_pattern', '=', channelPattern)
            .executeTakeFirst();
          return row ? [] : [userId];
        }
        case 'membership': {
          const { groupId, userId } = revoked;
          if (after !== undefined) return [];
          return (await isGroupMember(this.db, groupId, userId))
            ? []
            : [userId];
        }
        case 'group-grant': {
          const { groupId, channelPattern } = revoked;
          let members = this.db
            .selectFrom('directory_group_members as m')
            .select('m.user_id')
            .where('m.group_id', '=', groupId)
            .where((eb) =>
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('directory_channel_grants')
                    .select('subject_id')
                    .where((inner) => this.reaches(inner, eb.ref('m.user_id')))
                    .where('channel_pattern', '=', channelPattern),
                ),
              ),
            )
            .orderBy('m.user_id')
            .limit(limit);
          if (after !== undefined)
            members = members.where('m.user_id', '>', after);
          const rows = await members.execute();
          return rows.map((row) => row.user_id);
        }
        default: {
          const never: never = revoked;
          return never;
        }
      }
    });
  }

  /** A grant row that reaches the user: their own, or one of their groups'. */
  private reaches(
    eb: ExpressionBuilder<DirectoryDatabase, 'directory_channel_grants'>,
    user: Expression<string>,
  ) {
    return eb.or([
      eb.and([eb('subject_kind', '=', 'user'), eb('subject_id', '=', user)]),
      eb.and([
        eb('subject_kind', '=', 'group'),
        eb(
          'subject_id',
          'in',
          eb
            .selectFrom('directory_group_members')
            .select('group_id')
            .where('user_id', '=', user),
        ),
      ]),
    ]);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new DirectoryUnavailableError(error);
    }
  }
}
