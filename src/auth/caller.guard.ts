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
    const elapsed = () => (performance.now() - started) / 1000;
    try {
      const allowed = (await super.canActivate(context)) as boolean;
      const caller = context
        .switchToHttp()
        .getRequest<{ user?: CallerIdentity }>().user;
      this.metrics?.recordIdentityCheck(
        caller?.strategy ?? 'none',
        'identified',
        elapsed(),
      );
      return allowed;
    } catch (error) {
      this.metrics?.recordIdentityCheck(
        'none',
        error instanceof ForbiddenException ? 'declined' : 'error',
        elapsed(),
      );
      throw error;
    }
  }

  /**
   * Passport answers 401 when every strategy declines; the contract says 403, and never why.
   * Errors a strategy throws mean its infrastructure failed: they pass through to the filter.
   */
  override handleRequest<T = CallerIdentity>(
    error: unknown,
    caller: T | false | null,
    _info: unknown,
    _context: ExecutionContext,
  ): T {
    if (error) throw error as Error;
    if (!caller) throw new ForbiddenException();
    return caller;
  }
}
