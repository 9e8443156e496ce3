import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Optional,
} from '@nestjs/common';
import { AuthGuard, AuthModuleOptions } from '@nestjs/passport';
import { performance } from 'node:perf_hooks';
import { Metrics } from '../metrics/metrics';
import type { CallerIdentity } from './caller-identity';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';

/**
 * Runs the strategies named in `AUTH_STRATEGIES`, in order (PassportModule's defaultStrategy);
 * the first that identifies the caller wins.
 */
@Injectable()
export class CallerGuard extends AuthGuard() {
  constructor(
    @Optional() options?: AuthModuleOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {
    super(options);
  }

  /**
   * Measured here rather than in each strategy, so every strategy (present and future) is
   * covered: the label is the strategy that identified the caller, or "none".
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const started = performance.now();
    try {
      const allowed = (await super.canActivate(context)) as boolean;
      const caller = context
        .switchToHttp()
        .getRequest<{ user?: CallerIdentity }>().user;
      this.metrics?.recordIdentityCheck(
        caller?.strategy ?? 'none',
        'identified',
        secondsSince(started),
      );
      return allowed;
    } catch (error) {
      this.metrics?.recordIdentityCheck(
        'none',
        error instanceof ForbiddenException ? 'declined' : 'error',
        secondsSince(started),
      );
      throw error;
    }
  }

  /**
   * Passport answers 401 when every strategy declines; the contract says 403, and never why.
   * A strategy whose identity provider failed declined with the failure as its challenge
   * (see IdentityStrategy): if no later strategy identified the caller, that is a 503, since
   * the caller may well be valid. Other errors pass through to the filter.
   */
  override handleRequest<T = CallerIdentity>(
    error: unknown,
    caller: T | false | null,
    challenges: unknown,
    _context: ExecutionContext,
  ): T {
    if (error) throw error as Error;
    if (caller) return caller;
    const failures = Array.isArray(challenges) ? challenges : [challenges];
    const unavailable = failures.find(
      (failure) => failure instanceof IdentityProviderUnavailable,
    );
    if (unavailable) throw unavailable;
    throw new ForbiddenException();
  }
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
