import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { isValidUserId, USER_ID_RULE } from '../../directory/user-rules';
import {
  ChannelPattern,
  isChannelPattern,
  parseChannelPattern,
} from './channel-pattern';
import { buildRule, ChannelRule, RuleAllow } from './channel-rule';

/** An operator's file, but a typo'd one should fail loudly, not grow without bound. */
const MAX_POLICY_BYTES = 1024 * 1024;
/** Aliases are handy for shared user lists; thousands of them are an expansion attack. */
const MAX_ALIASES = 100;

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
    z
      .strictObject({ users: idList('user'), groups: idList('group') })
      .refine(
        (allow) => (allow.users?.length ?? 0) + (allow.groups?.length ?? 0) > 0,
        {
          message: 'must name at least one user or group',
        },
      ),
  ],
  { message: 'must be any-user or a mapping with users and/or groups lists' },
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
export function parsePolicyDocument(text: string): PolicyParse {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    // The first line says what and where (line, column); the rest is a snippet of the file.
    return {
      problems: document.errors.map((error) => error.message.split('\n')[0]),
    };
  }
  let content: unknown;
  try {
    content = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // yaml throws when aliases expand past the limit (a "billion laughs" document).
    return { problems: [(error as Error).message] };
  }
  const parsed = policySchema.safeParse(content);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map(
        (issue) => `${describePath(issue.path)}: ${issue.message}`,
      ),
    };
  }
  return {
    rules: parsed.data.rules.map((rule, index) =>
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
export function readPolicyFile(path: string): PolicyParse {
  const where = `CHANNEL_POLICY_FILE (${path})`;
  let text: string;
  try {
    const buffer = readFileSync(path);
    if (buffer.length > MAX_POLICY_BYTES) {
      return {
        problems: [`${where}: is larger than ${MAX_POLICY_BYTES} bytes`],
      };
    }
    text = buffer.toString('utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'read error';
    return { problems: [`${where}: cannot be read (${code})`] };
  }
  if (text.trim() === '') {
    return { problems: [`${where}: is empty (expected a rules list)`] };
  }
  const parsed = parsePolicyDocument(text);
  return parsed.problems
    ? { problems: parsed.problems.map((problem) => `${where}: ${problem}`) }
    : parsed;
}

function toAllow(allow: z.infer<typeof allowSchema>): RuleAllow {
  if (allow === 'any-user') return { anyUser: true };
  return {
    anyUser: false,
    users: allow.users ?? [],
    groups: allow.groups ?? [],
  };
}

function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'top level';
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
