import { resolve } from 'node:path';
import type { ChannelRule } from '../channels/policy/channel-rule';
import { readPolicyFile } from '../channels/policy/policy-file';
import type { Env } from './env.schema';

export interface ChannelsConfig {
  /** `CHANNEL_POLICY_FILE`, resolved against the working directory. @default undefined (none) */
  policyFile?: string;
  /**
   * The file's rules, validated and compiled at boot; the built-in rule is always added.
   * @default [] (only the built-in rule)
   */
  rules: readonly ChannelRule[];
}

/** Builds the channel authorization section; a policy file that cannot be used is a problem. */
export function buildChannelsConfig(
  env: Env,
  channelChecks: readonly string[],
  problems: string[],
): ChannelsConfig {
  if (!env.CHANNEL_POLICY_FILE) return { rules: [] };
  const policyFile = resolve(env.CHANNEL_POLICY_FILE);
  const parsed = readPolicyFile(policyFile, channelChecks);
  if (parsed.problems) {
    problems.push(...parsed.problems);
    return { policyFile, rules: [] };
  }
  return { policyFile, rules: parsed.rules };
}
