import { Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { CallerIdentity } from './caller-identity';
import { IdentityProviderUnavailableError } from './identity-provider-unavailable.error';

/** What a strategy answers: who the caller is, or null to decline (the next strategy is tried). */
export type Identification = CallerIdentity | null;

/**
 * An infrastructure failure handed to Passport as a failed attempt rather than an error, so the
 * next strategy still gets its turn; the CallerGuard answers 503 only if none identifies the caller.
 */
type Deferred = [false, IdentityProviderUnavailableError];

/**
 * The one interface every strategy implements: `identify(request)` returns the caller, null for
 * credentials that are absent, not its own or wrong, and throws `IdentityProviderUnavailableError`
 * when its identity provider cannot answer. Registers under `name` on the Passport instance.
 */
export function IdentityStrategy(name: string) {
  const logger = new Logger(`Strategy:${name}`);

  abstract class IdentityStrategyBase extends PassportStrategy<
    typeof Strategy,
    CallerIdentity,
    CallerIdentity | Deferred | null
  >(Strategy, name) {
    abstract identify(
      request: FastifyRequest,
    ): Identification | Promise<Identification>;

    async validate(
      request: FastifyRequest,
    ): Promise<CallerIdentity | Deferred | null> {
      try {
        return await this.identify(request);
      } catch (error) {
        if (!(error instanceof IdentityProviderUnavailableError)) throw error;
        // Logged here, once, even when a later strategy identifies the caller after all.
        logger.warn(error.message);
        return [false, error];
      }
    }
  }
  return IdentityStrategyBase;
}
