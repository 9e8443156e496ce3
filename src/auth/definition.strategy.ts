import { Logger, Provider } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { EnabledExtension } from '../config/extensions';
import { Metrics } from '../metrics/metrics';
import { withinDeadline } from '../plugin/answer-deadline';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import type { DefinedStrategy } from '../plugin/strategy-definition';
import { authRequestOf } from './auth-request.view';
import { callerIdentityOf } from './caller-answer';
import type { CallerIdentity } from './caller-identity';
import { IdentityProviderUnavailableError } from './identity-provider-unavailable.error';
import { setUpExtension } from './set-up-extension';
import { failureReason } from '../plugin/failure-reason';

/**
 * A provider failure handed to Passport as a failed attempt rather than an error, so the next
 * strategy still gets its turn; the CallerGuard answers 503 only if none identifies the caller.
 */
type Deferred = [false, IdentityProviderUnavailable];

/**
 * Longest one strategy may take on one request: past it, it counts as an unavailable provider
 * (the next strategy is tried). The shipped ones bound their own calls well within it.
 */
export const STRATEGY_TIMEOUT_MS = 10_000;

/**
 * One view per request, however many strategies of the chain read it, kept on the request: in
 * a WeakMap keyed by requests, every request and its view outlived the young generation's
 * collections and waited for a full one (V8 clears such entries only then): about half of what
 * a sign-in left for the old generation (docs/performance.md).
 */
const VIEW = Symbol('auth request view');

type ViewedRequest = FastifyRequest & {
  [VIEW]?: ReturnType<typeof authRequestOf>;
};

/**
 * The Passport strategy (passport-custom, registered under the definition's name) that runs one
 * enabled definition, shipped or from a plugin alike. Its `setup` runs once, when Nest builds the
 * provider at boot.
 */
export function strategyProvider(
  enabled: EnabledExtension<DefinedStrategy<unknown, unknown>>,
): Provider {
  const { definition } = enabled;
  const logger = new Logger(`Strategy:${definition.name}`);

  class DefinitionStrategy extends PassportStrategy<
    typeof Strategy,
    CallerIdentity,
    CallerIdentity | Deferred | null
  >(Strategy, definition.name) {
    constructor(private readonly prepared: unknown) {
      super();
    }

    async validate(
      request: ViewedRequest,
    ): Promise<CallerIdentity | Deferred | null> {
      const view = (request[VIEW] ??= authRequestOf(request));
      try {
        return callerIdentityOf(
          await withinDeadline(
            definition.authenticate(view, this.prepared),
            STRATEGY_TIMEOUT_MS,
          ),
          definition.name,
        );
      } catch (error) {
        return [false, unavailable(error)];
      }
    }
  }

  /** Logged here, once, even when a later strategy identifies the caller after all. */
  function unavailable(error: unknown): IdentityProviderUnavailable {
    if (error instanceof IdentityProviderUnavailableError) {
      logger.warn(error.message);
      return error;
    }
    if (error instanceof IdentityProviderUnavailable) {
      logger.warn(
        `identity provider ${definition.name} unavailable: ${error.message}`,
      );
      return error;
    }
    // A bug (ours or a plugin's) must neither sign nor crash: answered like a failed provider.
    logger.error(
      `strategy ${definition.name} failed unexpectedly: ${failureReason(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
    return new IdentityProviderUnavailableError(
      definition.name,
      'unexpected error',
    );
  }

  Object.defineProperty(DefinitionStrategy, 'name', {
    value: `Strategy:${definition.name}`,
  });
  return {
    provide: DefinitionStrategy,
    inject: [{ token: Metrics, optional: true }],
    useFactory: async (metrics?: Metrics) =>
      new DefinitionStrategy(await setUpExtension(enabled, logger, metrics)),
  };
}
