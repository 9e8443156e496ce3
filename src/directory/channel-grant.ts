/** A channel pattern granted to one user, or to every member of a group. */
export interface ChannelGrant {
  subject: 'user' | 'group';
  subjectId: string;
  /** A channel pattern (see docs/channel-policy.md); checked when read, not when stored. */
  channelPattern: string;
}

/** What the directory holds about one user's channel access, before any checking. */
export interface StoredChannelAccess {
  /** The groups the user is a member of. */
  groups: string[];
  /** Patterns granted to the user directly or to one of their groups, without duplicates. */
  grants: string[];
}
