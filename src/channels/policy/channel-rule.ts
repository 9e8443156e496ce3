import type { RelationSpec } from '../relations/relation-spec';
import {
  captureChannel,
  ChannelPattern,
  isChannelPattern,
  matchesChannel,
  parseChannelPattern,
  PatternBindings,
} from './channel-pattern';

/** Who a rule lets in once a channel matches one of its patterns. */
export type RuleAllow =
  | { anyUser: true }
  | { anyUser: false; users: readonly string[]; groups: readonly string[] }
  /** A relation over the team's own data decides, once a pattern matched. */
  | { anyUser: false; relation: RelationSpec };

/** One allow rule. Rules only ever allow: order does not matter, and the default is deny. */
export interface ChannelRule {
  /** Where the rule comes from, for logs: `built-in` or `CHANNEL_POLICY_FILE rules[2]`. */
  source: string;
  /** The file rule's `description`, for the explainer. */
  description?: string;
  patterns: readonly ChannelPattern[];
  allow: RuleAllow;
  /** True when deciding needs the caller's groups (a `{group}` pattern or an allowed group). */
  usesGroups: boolean;
  /** The apps (by name) whose requests the rule applies to. @default undefined (every app) */
  apps?: readonly string[];
}

export function buildRule(
  source: string,
  patterns: readonly ChannelPattern[],
  allow: RuleAllow,
  apps?: readonly string[],
  description?: string,
): ChannelRule {
  return {
    source,
    patterns,
    allow,
    ...(apps ? { apps } : {}),
    ...(description ? { description } : {}),
    usesGroups:
      patterns.some((pattern) => pattern.usesGroups) ||
      ('groups' in allow && allow.groups.length > 0),
  };
}

/** A pattern written in our own code: a mistake there is a bug, so it throws. */
export function builtInPattern(
  text: string,
  options: { captures?: boolean } = {},
): ChannelPattern {
  const parsed = parseChannelPattern(text, options);
  if (!isChannelPattern(parsed)) throw new Error(parsed.problem);
  return parsed;
}

/** The contract's rule: a user's own channels, for that user alone. */
export const BUILT_IN_RULES: readonly ChannelRule[] = [
  buildRule(
    'built-in',
    [
      builtInPattern('private-user-{id}'),
      builtInPattern('private-encrypted-user-{id}'),
    ],
    { anyUser: true },
  ),
];

/**
 * Whether `rule` lets the caller (with `bindings`) into `channel` by itself. A rule whose channel
 * check decides never does: see `checkToAsk`.
 */
export function ruleAllows(
  rule: ChannelRule,
  channel: string,
  bindings: PatternBindings,
): boolean {
  const { allow } = rule;
  const admitted =
    allow.anyUser ||
    ('users' in allow &&
      (allow.users.includes(bindings.id) ||
        allow.groups.some((group) => bindings.groups.includes(group))));
  return admitted && matchesAnyPattern(rule, channel, bindings);
}

/**
 * The relation a rule leaves the decision to, with the captures of the first of its patterns that
 * matches, or undefined when none matches.
 */
export function relationToAsk(
  rule: ChannelRule,
  channel: string,
  bindings: PatternBindings,
): { relation: RelationSpec; captures: Record<string, string> } | undefined {
  if (!('relation' in rule.allow)) return undefined;
  for (const pattern of rule.patterns) {
    const captures = captureChannel(pattern, channel, bindings);
    if (captures) return { relation: rule.allow.relation, captures };
  }
  return undefined;
}

function matchesAnyPattern(
  rule: ChannelRule,
  channel: string,
  bindings: PatternBindings,
): boolean {
  return rule.patterns.some((pattern) =>
    matchesChannel(pattern, channel, bindings),
  );
}
