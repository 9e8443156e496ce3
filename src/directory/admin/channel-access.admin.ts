import type { Kysely } from 'kysely';
import type { ChannelGrant } from '../channel-grant';
import type { DirectoryDatabase } from '../directory-schema';
import type { DirectoryAdmin } from './directory-admin';
import { DirectoryUnavailableError } from '../directory.errors';
import { isGroupMember } from '../is-group-member';

/** One group membership, as listed. */
export interface Membership {
  groupId: string;
  userId: string;
}

/** Which rows a listing shows; nothing set lists them all. */
export interface AccessFilter {
  /** Grants: those reaching the user (their own and their groups'); memberships: the user's. */
  user?: string;
  group?: string;
}

/**
 * Channel grants and group memberships for the directory CLI (migration 0002's tables, the same
 * queries on both backends): listings here, writes through the DirectoryAdmin. Every change is
 * announced to the service by the triggers of migration 0004, like user changes.
 */
export class ChannelAccessAdmin {
  constructor(
    private readonly db: Kysely<DirectoryDatabase>,
    private readonly admin: DirectoryAdmin,
  ) {}

  /** Stores the grant; answers false when it was there already (nothing changes then). */
  async grant(grant: ChannelGrant): Promise<boolean> {
    return this.guard(async () => {
      if (await this.hasGrant(grant)) return false;
      await this.admin.grantChannel(grant);
      return true;
    });
  }

  /** Answers whether there was such a grant. */
  revoke(grant: ChannelGrant): Promise<boolean> {
    return this.admin.revokeChannel(grant);
  }

  /** Answers false when the user was a member already. */
  async addMember(groupId: string, userId: string): Promise<boolean> {
    return this.guard(async () => {
      if (await isGroupMember(this.db, groupId, userId)) return false;
      await this.admin.addGroupMember(groupId, userId);
      return true;
    });
  }

  /** Answers whether the user was a member. */
  removeMember(groupId: string, userId: string): Promise<boolean> {
    return this.admin.removeGroupMember(groupId, userId);
  }

  /** Grants in (kind, id, pattern) order, a page at a time. */
  async forEachGrant(
    filter: AccessFilter,
    pageSize: number,
    handle: (grants: ChannelGrant[]) => Promise<void>,
  ): Promise<void> {
    let after: [ChannelGrant['subject'], string, string] | undefined;
    for (;;) {
      const rows = await this.guard(() => {
        let page = this.db
          .selectFrom('directory_channel_grants')
          .select(['subject_kind', 'subject_id', 'channel_pattern'])
          .orderBy('subject_kind')
          .orderBy('subject_id')
          .orderBy('channel_pattern')
          .limit(pageSize);
        const { user, group } = filter;
        if (user !== undefined) {
          page = page.where((eb) =>
            eb.or([
              eb.and([
                eb('subject_kind', '=', 'user'),
                eb('subject_id', '=', user),
              ]),
              eb.and([
                eb('subject_kind', '=', 'group'),
                eb(
                  'subject_id',
                  'in',
                  this.db
                    .selectFrom('directory_group_members')
                    .select('group_id')
                    .where('user_id', '=', user),
                ),
              ]),
            ]),
          );
        }
        if (group !== undefined) {
          page = page
            .where('subject_kind', '=', 'group')
            .where('subject_id', '=', group);
        }
        if (after) {
          const [kind, id, pattern] = after;
          page = page.where((eb) =>
            eb(
              eb.refTuple('subject_kind', 'subject_id', 'channel_pattern'),
              '>',
              eb.tuple(kind, id, pattern),
            ),
          );
        }
        return page.execute();
      });
      if (rows.length === 0) return;
      await handle(
        rows.map((row) => ({
          subject: row.subject_kind,
          subjectId: row.subject_id,
          channelPattern: row.channel_pattern,
        })),
      );
      const last = rows[rows.length - 1];
      after = [last.subject_kind, last.subject_id, last.channel_pattern];
    }
  }

  /** Memberships in (group, user) order, a page at a time. */
  async forEachMembership(
    filter: AccessFilter,
    pageSize: number,
    handle: (memberships: Membership[]) => Promise<void>,
  ): Promise<void> {
    let after: [string, string] | undefined;
    for (;;) {
      const rows = await this.guard(() => {
        let page = this.db
          .selectFrom('directory_group_members')
          .select(['group_id', 'user_id'])
          .orderBy('group_id')
          .orderBy('user_id')
          .limit(pageSize);
        if (filter.user !== undefined)
          page = page.where('user_id', '=', filter.user);
        if (filter.group !== undefined)
          page = page.where('group_id', '=', filter.group);
        if (after) {
          const [groupId, userId] = after;
          page = page.where((eb) =>
            eb(
              eb.refTuple('group_id', 'user_id'),
              '>',
              eb.tuple(groupId, userId),
            ),
          );
        }
        return page.execute();
      });
      if (rows.length === 0) return;
      await handle(
        rows.map((row) => ({ groupId: row.group_id, userId: row.user_id })),
      );
      const last = rows[rows.length - 1];
      after = [last.group_id, last.user_id];
    }
  }

  private async hasGrant(grant: ChannelGrant): Promise<boolean> {
    const row = await this.db
      .selectFrom('directory_channel_grants')
      .select('subject_id')
      .where('subject_kind', '=', grant.subject)
      .where('subject_id', '=', grant.subjectId)
      .where('channel_pattern', '=', grant.channelPattern)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DirectoryUnavailableError) throw error;
      throw new DirectoryUnavailableError(error);
    }
  }
}
