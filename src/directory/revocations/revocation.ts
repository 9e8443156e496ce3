/** What one entry of the revocation log (migration 0005) says was taken away. */
export type RevokedAccess =
  /** A pattern granted to the user directly. */
  | { kind: 'user-grant'; userId: string; channelPattern: string }
  /** A pattern granted to a group: every member may have lost it. */
  | { kind: 'group-grant'; groupId: string; channelPattern: string }
  /** The user left the group: its grants, `{group}` patterns and policy `groups:` lists. */
  | { kind: 'membership'; groupId: string; userId: string };

export interface Revocation {
  /** Increases with each entry (PostgreSQL may commit them out of order). */
  id: number;
  revoked: RevokedAccess;
}

/** A row as stored; the table's CHECK constraint allows only the three shapes. */
export function decodeRevocation(row: {
  id: number | string;
  user_id: string | null;
  group_id: string | null;
  channel_pattern: string | null;
}): Revocation | null {
  // PostgreSQL's bigint arrives as text; ids stay far below 2^53.
  const id = Number(row.id);
  const { user_id: userId, group_id: groupId } = row;
  const pattern = row.channel_pattern;
  if (pattern === null) {
    if (userId === null || groupId === null) return null;
    return { id, revoked: { kind: 'membership', groupId, userId } };
  }
  if (userId !== null && groupId === null) {
    return {
      id,
      revoked: { kind: 'user-grant', userId, channelPattern: pattern },
    };
  }
  if (groupId !== null && userId === null) {
    return {
      id,
      revoked: { kind: 'group-grant', groupId, channelPattern: pattern },
    };
  }
  return null;
}
