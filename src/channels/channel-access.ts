import type { ChannelPattern } from './policy/channel-pattern';

/** A user's groups and granted channel patterns, checked and compiled, ready to match. */
export interface ChannelAccess {
  groups: readonly string[];
  grants: readonly ChannelPattern[];
}

export const NO_CHANNEL_ACCESS: ChannelAccess = { groups: [], grants: [] };
