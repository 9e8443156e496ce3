import { Logger, Provider } from '@nestjs/common';
import { setUpExtension } from '../auth/set-up-extension';
import { IdentityProviderUnavailableError } from '../auth/identity-provider-unavailable.error';
import { AppConfig } from '../config/app-config';
import type { AnyChannelCheck } from '../config/extensions';
import { Metrics } from '../metrics/metrics';
import type { ChannelCaller } from '../plugin/channel-check-definition';
import { withinDeadline } from '../plugin/answer-deadline';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import type { RelationAnswer } from './relations/relation-answer';
import { failureReason } from '../plugin/failure-reason';

/** Longest a channel check may take before its channel is answered 503. */
export const CHANNEL_CHECK_TIMEOUT_MS = 5_000;

interface ReadyCheck {
  definition: AnyChannelCheck;
  prepared: unknown;
}

/**
 * The loaded channel checks (from `PLUGINS`), each set up once at boot, and the one way they are
 * asked: bounded by a timeout, a failure of any kind answered as unavailable (503 for that
 * channel), an answer of any other shape refused.
 */
export class ChannelChecks {
  private readonly logger = new Logger('ChannelChecks');

  constructor(private readonly checks: ReadonlyMap<string, ReadyCheck>) {}

  /** @throws IdentityProviderUnavailable (503 for the channel) */
  async ask(
    name: string,
    caller: ChannelCaller,
    channel: string,
    captures: Readonly<Record<string, string>>,
  ): Promise<RelationAnswer> {
    const check = this.checks.get(name);
    // Policy rules name only loaded checks (checked at boot): a miss here is our bug.
    if (!check) throw new Error(`channel check ${name} is not loaded`);
    let verdict: RelationAnswer | undefined;
    try {
      const answer = await withinDeadline(
        Promise.resolve().then(() =>
          check.definition.check(caller, channel, captures, check.prepared),
        ),
        CHANNEL_CHECK_TIMEOUT_MS,
      );
      // Read inside the try: the answer's getters and its userInfo are the check's too.
      verdict = verdictOf(answer);
    } catch (error) {
      throw this.unavailable(name, error);
    }
    if (!verdict) {
      throw this.unavailable(
        name,
        new Error(
          'answered neither true/false nor { allow }, or a userInfo that is not a JSON object',
        ),
      );
    }
    return verdict;
  }

  private unavailable(
    name: string,
    error: unknown,
  ): IdentityProviderUnavailable {
    const reason = failureReason(error);
    if (error instanceof IdentityProviderUnavailable) {
      this.logger.warn(`channel check ${name} unavailable: ${reason}`);
      return error;
    }
    this.logger.error(
      `channel check ${name} failed unexpectedly: ${reason}`,
      error instanceof Error ? error.stack : undefined,
    );
    return new IdentityProviderUnavailableError(
      `channel check ${name}`,
      'unexpected error',
    );
  }
}

function verdictOf(answer: unknown): RelationAnswer | undefined {
  if (answer === true) return { allowed: true };
  if (answer === false) return { allowed: false };
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { allow, userInfo } = answer as { allow?: unknown; userInfo?: unknown };
  if (allow === false) return { allowed: false };
  if (allow !== true) return undefined;
  if (userInfo === undefined) return { allowed: true };
  if (
    typeof userInfo !== 'object' ||
    userInfo === null ||
    Array.isArray(userInfo)
  ) {
    return undefined;
  }
  // A presence member's user_info is signed as JSON: one that cannot be (a cycle, a BigInt)
  // would fail the signer as a 500. A copy made now is what is signed, whatever the check does
  // with its object afterwards.
  const copy = JSON.parse(JSON.stringify(userInfo)) as unknown;
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    return undefined;
  }
  return { allowed: true, userInfo: copy as Record<string, unknown> };
}

/** Sets every loaded check up once, at boot (a check's `setup` may open connections). */
export const channelChecksProvider: Provider = {
  provide: ChannelChecks,
  inject: [AppConfig, { token: Metrics, optional: true }],
  useFactory: async (config: AppConfig, metrics?: Metrics) => {
    const ready = new Map<string, ReadyCheck>();
    for (const enabled of config.channelChecks) {
      const logger = new Logger(`ChannelCheck:${enabled.definition.name}`);
      ready.set(enabled.definition.name, {
        definition: enabled.definition,
        prepared: await setUpExtension(enabled, logger, metrics),
      });
    }
    return new ChannelChecks(ready);
  },
};
