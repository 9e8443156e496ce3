import { buildRule, builtInPattern, ChannelRule } from './channel-rule';

const rule = (patterns: string[], allow: Parameters<typeof buildRule>[2]) =>
  buildRule('the demo policy', patterns.map(builtInPattern), allow);

/**
 * Demo mode's channel rules: the README's example policy file, built in, so that its channel
 * examples (`presence-lobby`, direct messages, team and admin channels) work for the demo users
 * without a file. Only in demo mode, which production never enters.
 */
export const DEMO_POLICY_RULES: readonly ChannelRule[] = [
  rule(['presence-lobby'], { anyUser: true }),
  rule(['private-dm-{id}-*', 'private-dm-*-{id}'], { anyUser: true }),
  rule(['private-team-{group}'], { anyUser: true }),
  rule(['private-admin-*'], {
    anyUser: false,
    users: ['carol'],
    groups: ['admins'],
  }),
];
