import { resolve } from 'node:path';
import type { ChannelRule } from '../channels/policy/channel-rule';
import { readPolicyFile } from '../channels/policy/policy-file';
import type { BootContext } from '../plugin/plugin-context';
import type { Env } from './env.schema';
import { checkProviderUrl } from './strategy-settings';

export interface ChannelsConfig {
  /** `CHANNEL_POLICY_FILE`, resolved against the working directory. @default undefined (none) */
  policyFile?: string;
  /**
   * The file's rules, validated and compiled at boot; the built-in rule is always added.
   * @default [] (only the built-in rule)
   */
  rules: readonly ChannelRule[];
  /** `CHANNEL_DATA_URL`: where `sql` relations run. @default undefined (the directory's database) */
  dataUrl?: string;
  /** `CHANNEL_RELATION_TIMEOUT_MS`: statement timeout of an `sql` relation (PostgreSQL). @default 2000 */
  relationTimeoutMs: number;
  /** `CHANNEL_RELATION_CACHE_TTL_MS`: reuse of a relation's answer. @default 10000 */
  relationCacheTtlMs: number;
}

/** Builds the channel authorization section; a policy file that cannot be used is a problem. */
export function buildChannelsConfig(
  env: Env,
  channelChecks: readonly string[],
  boot: BootContext,
  problems: string[],
): ChannelsConfig {
  const relations = {
    ...(env.CHANNEL_DATA_URL ? { dataUrl: env.CHANNEL_DATA_URL } : {}),
    relationTimeoutMs: env.CHANNEL_RELATION_TIMEOUT_MS,
    relationCacheTtlMs: env.CHANNEL_RELATION_CACHE_TTL_MS,
  };
  if (!env.CHANNEL_POLICY_FILE) return { rules: [], ...relations };
  const policyFile = resolve(env.CHANNEL_POLICY_FILE);
  const parsed = readPolicyFile(policyFile, channelChecks);
  if (parsed.problems) {
    problems.push(...parsed.problems);
    return { policyFile, rules: [], ...relations };
  }
  for (const rule of parsed.rules) {
    if ('relation' in rule.allow && rule.allow.relation.kind === 'http') {
      checkProviderUrl(
        `${rule.source}.allow.http`,
        rule.allow.relation.url,
        boot,
        problems,
      );
    }
  }
  return { policyFile, rules: parsed.rules, ...relations };
}
