import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { quoteForLog } from '../logging/truncate';
import type { ChannelAccess } from './channel-access';
import { ChannelAccessService } from './channel-access.service';
import { matchesChannel } from './policy/channel-pattern';
import {
  BUILT_IN_RULES,
  ChannelRule,
  relationToAsk,
  ruleAllows,
} from './policy/channel-rule';
import { DEMO_POLICY_RULES } from './policy/demo-policy';
import { describeRelation } from './relations/relation-spec';
import type { RelationAnswer } from './relations/relation-answer';
import {
  type RelationQuestion,
  Relations,
} from './relations/relations.service';

/** Whether a channel is allowed, and why, in the short form a log line carries. */
export type ChannelVerdict =
  | {
      allowed: true;
      /** `built-in`, `CHANNEL_POLICY_FILE rules[2]`, `the directory grant …` */
      reason: string;
      /** A relation's `user_info` for the presence member, instead of the directory's. */
      userInfo?: Record<string, unknown>;
    }
  | { allowed: false; reason: string };

/** Every rule in force: the built-in one, the demo policy in demo mode, the file's. */
export function policyRules(config: AppConfig): readonly ChannelRule[] {
  const demoRules = config.demo.enabled ? DEMO_POLICY_RULES : [];
  return [...BUILT_IN_RULES, ...demoRules, ...config.channels.rules];
}

/** One source consulted on the way to a verdict, in the order the service consults them. */
export interface ConsultedSource {
  source: string;
  /** What it said: `allows`, `pattern does not match`, `relation returned no row`… */
  outcome: string;
  allowed: boolean;
}

/** One caller's view of the policy, for the channels of one request. */
export interface ChannelDecider {
  /**
   * `consulted` is told every source asked, in order (the explainer prints them).
   * @throws DirectoryUnavailableError (503) when the directory had to be asked and failed, and
   * IdentityProviderUnavailable (503 for the channel) when a relation that could have allowed it
   * could not answer
   */
  decide(
    channel: string,
    consulted?: (source: ConsultedSource) => void,
  ): Promise<ChannelVerdict>;
}

/**
 * Decides who may join which channel: the built-in rule, the rules of `CHANNEL_POLICY_FILE`
 * (relations over the team's own data among them), and grants stored in the directory. Rules
 * only allow; anything none allows is denied.
 */
@Injectable()
export class ChannelPolicy {
  private readonly logger = new Logger(ChannelPolicy.name);
  private readonly rules: readonly ChannelRule[];

  constructor(
    config: AppConfig,
    private readonly access: ChannelAccessService,
    private readonly relations: Relations,
  ) {
    this.rules = policyRules(config);
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
    const asked = new Map<string, Promise<RelationAnswer>>();
    return {
      decide: async (channel, consulted = () => undefined) => {
        const verdict = await new Decision(
          this.rules,
          (rule, question) => this.relations.ask(rule, question, asked),
          { channel, id: userId, app },
          accessOnce,
          consulted,
        ).verdict();
        this.logger.debug(
          `channel ${channel} ${verdict.allowed ? 'allowed to' : 'refused to'} user ${quoteForLog(userId)}: ${verdict.reason}`,
        );
        return verdict;
      },
    };
  }
}

interface Asked {
  channel: string;
  id: string;
  app: string;
}

/**
 * One channel's decision, in the order the service decides: rules that need nothing but the user
 * id, then (reading the directory) group rules and grants, then relations, which leave the
 * process. Every rule is consulted in that order until one allows; each is reported.
 */
class Decision {
  /** Why each consulted rule whose pattern matched did not allow: a deny names them. */
  private readonly refusals: string[] = [];

  constructor(
    private readonly rules: readonly ChannelRule[],
    private readonly askRelation: (
      rule: ChannelRule,
      question: RelationQuestion,
    ) => Promise<RelationAnswer>,
    private readonly asked: Asked,
    private readonly accessOf: () => Promise<ChannelAccess>,
    private readonly consulted: (source: ConsultedSource) => void,
  ) {}

  async verdict(): Promise<ChannelVerdict> {
    const forApp = this.rules.filter(
      (rule) => !rule.apps || rule.apps.includes(this.asked.app),
    );
    const alone = { id: this.asked.id, groups: [] };
    const local = forApp.filter(
      (rule) => !rule.usesGroups && !isRelation(rule),
    );
    const allowedAlone = this.firstAllowing(local, alone);
    if (allowedAlone) return allowedAlone;
    const access = await this.accessOf();
    const bindings = { id: this.asked.id, groups: access.groups };
    const byGroup = forApp.filter(
      (rule) => rule.usesGroups && !isRelation(rule),
    );
    const allowedByGroup = this.firstAllowing(byGroup, bindings);
    if (allowedByGroup) return allowedByGroup;
    for (const grant of access.grants) {
      const allowed = matchesChannel(grant, this.asked.channel, bindings);
      this.consulted({
        source: `directory grant ${grant.text}`,
        outcome: allowed ? 'allows' : 'pattern does not match',
        allowed,
      });
      if (allowed)
        return { allowed: true, reason: `the directory grant ${grant.text}` };
    }
    return this.askRelations(forApp.filter(isRelation), bindings);
  }

  private firstAllowing(
    rules: readonly ChannelRule[],
    bindings: { id: string; groups: readonly string[] },
  ): ChannelVerdict | undefined {
    for (const rule of rules) {
      const allowed = ruleAllows(rule, this.asked.channel, bindings);
      const matched =
        allowed ||
        rule.patterns.some((pattern) =>
          matchesChannel(pattern, this.asked.channel, bindings),
        );
      const outcome = allowed
        ? 'allows'
        : matched
          ? 'pattern matches, but the rule does not admit this user'
          : 'pattern does not match';
      this.consulted({ source: describe(rule), outcome, allowed });
      if (matched && !allowed)
        this.refusals.push(`${shortName(rule)}: user not admitted`);
      if (allowed) return { allowed: true, reason: shortName(rule) };
    }
    return undefined;
  }

  /**
   * Each relation whose pattern matches is asked, in order, until one allows. One that cannot
   * answer is remembered: the channel is refused with 503 (never signed) only if none allows it.
   */
  private async askRelations(
    rules: readonly ChannelRule[],
    bindings: { id: string; groups: readonly string[] },
  ): Promise<ChannelVerdict> {
    let failure: Error | undefined;
    for (const rule of rules) {
      const asked = relationToAsk(rule, this.asked.channel, bindings);
      if (!asked) {
        this.consulted({
          source: describe(rule),
          outcome: 'pattern does not match',
          allowed: false,
        });
        continue;
      }
      const what = describeRelation(asked.relation);
      try {
        const answer = await this.askRelation(rule, {
          user: this.asked.id,
          app: this.asked.app,
          channel: this.asked.channel,
          captures: asked.captures,
        });
        const outcome = answer.allowed
          ? `${what} allows`
          : `${what} ${asked.relation.kind === 'sql' ? 'returned no row' : 'denies'}`;
        this.consulted({
          source: describe(rule),
          outcome,
          allowed: answer.allowed,
        });
        if (answer.allowed) {
          return {
            allowed: true,
            reason: `${shortName(rule)} (${what})`,
            ...(answer.userInfo ? { userInfo: answer.userInfo } : {}),
          };
        }
        this.refusals.push(`${shortName(rule)}: ${outcome}`);
      } catch (error) {
        failure ??= error as Error;
        this.consulted({
          source: describe(rule),
          outcome: `${what} could not answer: ${(error as Error).message}`,
          allowed: false,
        });
      }
    }
    if (failure) throw failure;
    return {
      allowed: false,
      reason:
        this.refusals.length > 0 ? this.refusals.join('; ') : 'no rule matched',
    };
  }
}

function isRelation(rule: ChannelRule): boolean {
  return 'relation' in rule.allow;
}

/** `rule 3` for a file rule, the source as it is otherwise (`built-in`, `demo policy`). */
function shortName(rule: ChannelRule): string {
  const index = /^CHANNEL_POLICY_FILE rules\[(\d+)\]$/.exec(rule.source)?.[1];
  return index === undefined ? rule.source : `rule ${index}`;
}

function describe(rule: ChannelRule): string {
  const patterns = rule.patterns.map((pattern) => pattern.text).join(', ');
  const description = rule.description ? ` "${rule.description}"` : '';
  return `${shortName(rule)}${description} (${patterns})`;
}
