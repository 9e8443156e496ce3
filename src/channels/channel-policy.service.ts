import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChannelAccess } from './channel-access';
import { ChannelAccessService } from './channel-access.service';
import { matchesChannel } from './policy/channel-pattern';
import {
  BUILT_IN_RULES,
  ChannelRule,
  checkToAsk,
  ruleAllows,
} from './policy/channel-rule';
import { ChannelChecks, CheckVerdict } from './channel-checks';
import { quoteForLog } from '../logging/truncate';
import { DEMO_POLICY_RULES } from './policy/demo-policy';

/** Whether a channel is allowed, and by what (for logs and the explainer). */
export type ChannelVerdict =
  | {
      allowed: true;
      by: string;
      /** A channel check's `user_info` for the presence member, instead of the directory's. */
      userInfo?: Record<string, unknown>;
    }
  | { allowed: false };

/** One caller's view of the policy, for the channels of one request. */
export interface ChannelDecider {
  /**
   * @throws DirectoryUnavailableError (503) when the directory had to be asked and failed, and
   * IdentityProviderUnavailable (503 for the channel) when a channel check that could have
   * allowed it could not answer
   */
  decide(channel: string): Promise<ChannelVerdict>;
}

/**
 * Decides who may join which channel: the built-in rule, the rules of `CHANNEL_POLICY_FILE`,
 * and grants stored in the directory. Rules only allow; anything no rule allows is denied.
 */
@Injectable()
export class ChannelPolicy {
  private readonly logger = new Logger(ChannelPolicy.name);
  private readonly rules: readonly ChannelRule[];
  /** Rules decidable from the user id alone, tried before the directory is asked. */
  private readonly localRules: readonly ChannelRule[];
  private readonly groupRules: readonly ChannelRule[];
  /** Rules a channel check decides: asked last, since each call leaves the process. */
  private readonly checkRules: readonly ChannelRule[];

  constructor(
    config: AppConfig,
    private readonly access: ChannelAccessService,
    private readonly checks: ChannelChecks,
  ) {
    const demoRules = config.demo.enabled ? DEMO_POLICY_RULES : [];
    this.rules = [...BUILT_IN_RULES, ...demoRules, ...config.channels.rules];
    const decidedHere = this.rules.filter((rule) => !('check' in rule.allow));
    this.localRules = decidedHere.filter((rule) => !rule.usesGroups);
    this.groupRules = decidedHere.filter((rule) => rule.usesGroups);
    this.checkRules = this.rules.filter((rule) => 'check' in rule.allow);
    const from = config.channels.policyFile
      ? ` + ${config.channels.rules.length} from ${config.channels.policyFile}`
      : '';
    const demo = config.demo.enabled ? ' + the demo policy' : '';
    this.logger.log(
      `channel policy: built-in rule${demo}${from}, directory grants`,
    );
  }

  /**
   * The directory is read at most once per decider, and only if a channel needs it. `app`: the
   * app the request signs for; rules limited to other apps do not apply.
   */
  forUser(userId: string, app: string): ChannelDecider {
    let access: Promise<ChannelAccess> | undefined;
    const accessOnce = () => (access ??= this.access.accessOf(userId));
    return {
      decide: async (channel) => {
        const verdict = await this.verdict(channel, userId, app, accessOnce);
        if (verdict.allowed) {
          this.logger.debug(
            `channel ${channel} allowed to user ${quoteForLog(userId)} by ${verdict.by}`,
          );
        } else {
          this.logger.debug(
            `channel ${channel} refused to user ${quoteForLog(userId)}: no rule or grant allows it`,
          );
        }
        return verdict;
      },
    };
  }

  private async verdict(
    channel: string,
    id: string,
    app: string,
    accessOf: () => Promise<ChannelAccess>,
  ): Promise<ChannelVerdict> {
    const alone = { id, groups: [] };
    const forApp = (rule: ChannelRule) => !rule.apps || rule.apps.includes(app);
    const local = this.localRules.find(
      (rule) => forApp(rule) && ruleAllows(rule, channel, alone),
    );
    if (local) return { allowed: true, by: local.source };
    const access = await accessOf();
    const bindings = { id, groups: access.groups };
    const byGroup = this.groupRules.find(
      (rule) => forApp(rule) && ruleAllows(rule, channel, bindings),
    );
    if (byGroup) return { allowed: true, by: byGroup.source };
    const grant = access.grants.find((pattern) =>
      matchesChannel(pattern, channel, bindings),
    );
    if (grant)
      return { allowed: true, by: `the directory grant ${grant.text}` };
    return this.askChecks(channel, id, app, bindings);
  }

  /**
   * Every check whose rule matches is asked, in order, until one allows. One that cannot answer
   * is remembered: the channel is refused with 503 (never signed) only if no other allows it.
   */
  private async askChecks(
    channel: string,
    id: string,
    app: string,
    bindings: { id: string; groups: readonly string[] },
  ): Promise<ChannelVerdict> {
    let failure: Error | undefined;
    for (const rule of this.checkRules) {
      if (rule.apps && !rule.apps.includes(app)) continue;
      const name = checkToAsk(rule, channel, bindings);
      if (!name) continue;
      let verdict: CheckVerdict;
      try {
        verdict = await this.checks.ask(name, { id, app }, channel, {});
      } catch (error) {
        failure ??= error as Error;
        continue;
      }
      if (verdict.allowed) {
        return {
          allowed: true,
          by: `${rule.source} (channel check ${name})`,
          ...(verdict.userInfo ? { userInfo: verdict.userInfo } : {}),
        };
      }
    }
    if (failure) throw failure;
    return { allowed: false };
  }
}
