import { DEMO_DOCUMENT_VIEWERS } from '../../directory/admin/directory-admin';
import { sqlParameters } from '../relations/relation-spec';
import { buildRule, builtInPattern, ChannelRule } from './channel-rule';

const DEMO_DOCUMENT_QUERY = `SELECT user_info FROM ${DEMO_DOCUMENT_VIEWERS} WHERE doc_id = :doc AND user_id = :user`;

const rule = (patterns: string[], allow: Parameters<typeof buildRule>[2]) =>
  buildRule(
    'the demo policy',
    patterns.map((text) => builtInPattern(text)),
    allow,
  );

/**
 * Demo mode's channel rules: the example policy file of docs/channel-policy.md ("The demo
 * policy"), built in, so that its channel examples (`presence-lobby`, direct messages, team and
 * admin channels) work for the demo users without a file. Only in demo mode, which production never enters.
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
  // A relation over a demo table (demo_document_viewers), so `explain` shows one at work.
  buildRule(
    'the demo policy',
    [builtInPattern('presence-doc-{doc}', { captures: true })],
    {
      anyUser: false,
      relation: {
        kind: 'sql',
        query: DEMO_DOCUMENT_QUERY,
        parameters: sqlParameters(DEMO_DOCUMENT_QUERY),
      },
    },
    undefined,
    'demo documents: their viewers, from the demo_document_viewers table',
  ),
];
