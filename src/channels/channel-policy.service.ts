import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ChannelAccess } from './channel-access';
import { ChannelAccessService } from './channel-access.service';
import { matchesChannel } from './policy/channel-pattern';
import { BUILT_IN_RULES, ChannelRule, ruleAllows } from './policy/channel-rule';
import { quoteForLog } from '../logging/truncate';
import { DEMO_POLICY_RULES } from './policy/demo-policy';

/** One caller's view of the policy, for the channels of one request. */
export interface ChannelDecider {
  /** @throws DirectoryUnavailableError (503) when the directory had to be asked and failed */
  allows(channel: string): Promise<boolean>;
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

  constructor(
    config: AppConfig,
    private readonly access: ChannelAccessService,
  ) {
    const demoRules = config.demo.enabled ? DEMO_POLICY_RULES : [];
    this.rules = [...BUILT_IN_RULES, ...demoRules, ...config.channels.rules];
    this.localRules = this.rules.filter((rule) => !rule.usesGroups);
    this.groupRules = this.rules.filter((rule) => rule.usesGroups);
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
      allows: async (channel) => {
        const allowedBy = await this.allowedBy(
          channel,
          userId,
          app,
          accessOnce,
        );
        if (allowedBy) {
          this.logger.debug(
            `channel ${channel} allowed to user ${quoteForLog(userId)} by ${allowedBy}`,
          );
        } else {
          this.logger.debug(
            `channel ${channel} refused to user ${quoteForLog(userId)}: no rule or grant allows it`,
          );
        }
        return allowedBy !== undefined;
      },
    };
  }

  private async allowedBy(
    channel: string,
    id: string,
    app: string,
    accessOf: () => Promise<ChannelAccess>,
  ): Promise<string | undefined> {
    const alone = { id, groups: [] };
    const forApp = (rule: ChannelRule) => !rule.apps || rule.apps.includes(app);
    const local = this.localRules.find(
      (rule) => forApp(rule) && ruleAllows(rule, channel, alone),
    );
    if (local) return local.source;
    const access = await accessOf();
    const bindings = { id, groups: access.groups };
    const byGroup = this.groupRules.find(
      (rule) => forApp(rule) && ruleAllows(rule, channel, bindings),
    );
    if (byGroup) return byGroup.source;
    const grant = access.grants.find((pattern) =>
      matchesChannel(pattern, channel, bindings),
    );
    return grant ? `the directory grant ${grant.text}` : undefined;
  }
}
