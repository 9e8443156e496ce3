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
import {
  BUILT_IN_PARAMETERS,
  DEFAULT_HTTP_TIMEOUT_MS,
  sqlParameters,
} from '../relations/relation-spec';

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
      // Captures are refused later for rules that ask no relation (see checkRelation).
      const parsed = parseChannelPattern(text, { captures: true });
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
    z.strictObject({
      sql: z
        .string({ message: 'must be a query' })
        .min(1)
        .max(4096, 'must be at most 4096 characters'),
    }),
    z.strictObject({
      http: z.union(
        [
          z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
          z.strictObject({
            url: z.url({
              protocol: /^https?$/,
              message: 'must be an http(s) URL',
            }),
            timeout_ms: z.number().int().min(50).max(30_000).optional(),
          }),
        ],
        { message: 'must be a URL or { url, timeout_ms }' },
      ),
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
      'must be any-user, a mapping with users and/or groups lists, or a relation ({ sql }, { http } or { check })',
  },
);

const ruleFields = {
  description: z.string().optional(),
  channels: channelsSchema,
  allow: allowSchema,
  // Checked against the configured apps by loadConfig, which knows them.
  apps: z
    .array(z.string(), { message: 'must be a list of app names' })
    .min(1, 'must name at least one app')
    .optional(),
};

/** The document's schema; a rule's relation is checked against the channel checks loaded. */
const policySchemaFor = (channelChecks: readonly string[]) =>
  z.strictObject(
    {
      version: z.literal(1, { message: 'must be 1' }).optional(),
      rules: z.array(
        z.strictObject(ruleFields).superRefine((rule, ctx) => {
          for (const { path, message } of relationProblems(
            toAllow(rule.allow),
            rule.channels,
            channelChecks,
          )) {
            ctx.addIssue({ code: 'custom', path, message });
          }
        }),
        { message: 'must be a list of rules' },
      ),
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
  const parsed = parseOperatorDocument(text, policySchemaFor(channelChecks));
  if (parsed.problems) return parsed;
  return {
    rules: parsed.value.rules.map((rule, index) =>
      buildRule(
        `CHANNEL_POLICY_FILE rules[${index}]`,
        rule.channels,
        toAllow(rule.allow),
        rule.apps,
        rule.description,
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

/**
 * What the relation of one rule may use: named captures only in rules with a relation, each SQL
 * parameter a built-in one or captured by every pattern, a channel check that is loaded.
 */
function relationProblems(
  allow: RuleAllow,
  patterns: readonly ChannelPattern[],
  channelChecks: readonly string[],
): { path: string[]; message: string }[] {
  if (!('relation' in allow)) {
    const capturing = patterns.find((pattern) => pattern.captures.length > 0);
    return capturing
      ? [
          {
            path: ['channels'],
            message: `channel pattern unknown placeholder {${capturing.captures[0]}}: named captures only in rules that ask a relation (sql, http or check); use {id}, {group} or *`,
          },
        ]
      : [];
  }
  const { relation } = allow;
  if (relation.kind === 'check' && !channelChecks.includes(relation.name)) {
    return [
      {
        path: ['allow', 'check'],
        message: `no channel check "${relation.name.slice(0, 64)}" is loaded (${channelChecks.length > 0 ? `loaded: ${channelChecks.join(', ')}` : 'none is'}; add its module to PLUGINS)`,
      },
    ];
  }
  if (relation.kind !== 'sql') return [];
  return relation.parameters.flatMap((name) => {
    if ((BUILT_IN_PARAMETERS as readonly string[]).includes(name)) return [];
    const missing = patterns.find(
      (pattern) => !pattern.captures.includes(name),
    );
    return missing
      ? [
          {
            path: ['allow', 'sql'],
            message: `uses :${name}, which pattern ${missing.text} does not capture (parameters: ${BUILT_IN_PARAMETERS.map((p) => `:${p}`).join(', ')} and the patterns' captures)`,
          },
        ]
      : [];
  });
}

function toAllow(allow: z.infer<typeof allowSchema>): RuleAllow {
  if (allow === 'any-user') return { anyUser: true };
  if ('check' in allow) {
    return { anyUser: false, relation: { kind: 'check', name: allow.check } };
  }
  if ('sql' in allow) {
    return {
      anyUser: false,
      relation: {
        kind: 'sql',
        query: allow.sql,
        parameters: sqlParameters(allow.sql),
      },
    };
  }
  if ('http' in allow) {
    const { http } = allow;
    return {
      anyUser: false,
      relation: {
        kind: 'http',
        url: typeof http === 'string' ? http : http.url,
        timeoutMs:
          (typeof http === 'string' ? undefined : http.timeout_ms) ??
          DEFAULT_HTTP_TIMEOUT_MS,
      },
    };
  }
  return {
    anyUser: false,
    users: allow.users ?? [],
    groups: allow.groups ?? [],
  };
}
