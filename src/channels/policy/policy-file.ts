import { z } from 'zod';
import {
  parseOperatorDocument,
  readOperatorFile,
  where,
} from '../../config/operator-file';
import { isValidUserId, USER_ID_RULE } from '../../directory/user-rules';
import {
  ChannelPattern,
  isChannelPattern,
  parseChannelPattern,
} from './channel-pattern';
import { buildRule, ChannelRule, RuleAllow } from './channel-rule';

/** An operator's file, but a typo'd one should fail loudly, not grow without bound. */
const MAX_POLICY_BYTES = 1024 * 1024;

const idList = (what: string) =>
  z
    .array(
      z.string().refine(isValidUserId, {
        message: `${what} ids are ${USER_ID_RULE}`,
      }),
      { message: `must be a list of ${what} ids` },
    )
    .optional();

/** One pattern or a list; each is parsed here so a bad one is named by its place in the list. */
const channelsSchema = z
  .union([z.string(), z.array(z.string()).min(1)], {
    message: 'must be a channel pattern or a non-empty list of them',
  })
  .transform((value, ctx) => {
    const texts = Array.isArray(value) ? value : [value];
    const patterns: ChannelPattern[] = [];
    texts.forEach((text, index) => {
      const parsed = parseChannelPattern(text);
      if (isChannelPattern(parsed)) patterns.push(parsed);
      else {
        ctx.addIssue({
          code: 'custom',
          message: `channel pattern ${parsed.problem}`,
          path: Array.isArray(value) ? [index] : [],
        });
      }
    });
    return patterns;
  });

const allowSchema = z.union(
  [
    z.literal('any-user'),
    // A channel check from PLUGINS; loadConfig's list of loaded checks decides the name.
    z.strictObject({
      check: z.string({ message: 'must name a channel check' }).min(1),
    }),
    z
      .strictObject({ users: idList('user'), groups: idList('group') })
      .refine(
        (allow) => (allow.users?.length ?? 0) + (allow.groups?.length ?? 0) > 0,
        {
          message: 'must name at least one user or group',
        },
      ),
  ],
  {
    message:
      'must be any-user, a mapping with users and/or groups lists, or { check: <name> }',
  },
);

const ruleSchema = z.strictObject({
  description: z.string().optional(),
  channels: channelsSchema,
  allow: allowSchema,
  // Checked against the configured apps by loadConfig, which knows them.
  apps: z
    .array(z.string(), { message: 'must be a list of app names' })
    .min(1, 'must name at least one app')
    .optional(),
});

const policySchema = z.strictObject(
  {
    version: z.literal(1, { message: 'must be 1' }).optional(),
    rules: z.array(ruleSchema, { message: 'must be a list of rules' }),
  },
  {
    // Only the "not a mapping" case gets our wording; unknown keys keep zod's (it names them).
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'must be a mapping with a rules list'
        : undefined,
  },
);

export type PolicyParse =
  | { rules: ChannelRule[]; problems?: undefined }
  | { rules?: undefined; problems: string[] };

/**
 * Parses a policy document (YAML, or JSON, which YAML 1.2 reads too) into rules.
 * Every problem is reported with where it is, so one edit fixes them all.
 */
export function parsePolicyDocument(
  text: string,
  channelChecks: readonly string[] = [],
): PolicyParse {
  const parsed = parseOperatorDocument(text, policySchema);
  if (parsed.problems) return parsed;
  const problems: string[] = [];
  parsed.value.rules.forEach(({ allow }, index) => {
    if (typeof allow === 'object' && 'check' in allow) {
      if (!channelChecks.includes(allow.check)) {
        problems.push(
          `rules[${index}].allow.check: no channel check "${allow.check.slice(0, 64)}" is loaded (${channelChecks.length > 0 ? `loaded: ${channelChecks.join(', ')}` : 'none is'}; add its module to PLUGINS)`,
        );
      }
    }
  });
  if (problems.length > 0) return { problems };
  return {
    rules: parsed.value.rules.map((rule, index) =>
      buildRule(
        `CHANNEL_POLICY_FILE rules[${index}]`,
        rule.channels,
        toAllow(rule.allow),
        rule.apps,
      ),
    ),
  };
}

/** Reads and parses the file; problems are prefixed with the setting and the path. */
export function readPolicyFile(
  path: string,
  channelChecks: readonly string[] = [],
): PolicyParse {
  const prefix = where('CHANNEL_POLICY_FILE', path);
  const file = readOperatorFile('CHANNEL_POLICY_FILE', path, MAX_POLICY_BYTES);
  if (file.problems) return file;
  if (file.value.trim() === '') {
    return { problems: [`${prefix}: is empty (expected a rules list)`] };
  }
  const parsed = parsePolicyDocument(file.value, channelChecks);
  return parsed.problems
    ? { problems: parsed.problems.map((problem) => `${prefix}: ${problem}`) }
    : parsed;
}

function toAllow(allow: z.infer<typeof allowSchema>): RuleAllow {
  if (allow === 'any-user') return { anyUser: true };
  if ('check' in allow) return { anyUser: false, check: allow.check };
  return {
    anyUser: false,
    users: allow.users ?? [],
    groups: allow.groups ?? [],
  };
}
