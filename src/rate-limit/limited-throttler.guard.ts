import { ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from './rate-limited.error';

/**
 * A ThrottlerGuard that applies one named limit only, and answers through the error filter
 * (429, the contract's body, `Retry-After`) instead of the library's own exception. A route's
 * `@SkipThrottle`/`@Throttle` are read by the library itself.
 */
export abstract class LimitedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly limitName: string;

  /** Whom the request counts against; undefined skips the limit for it. */
  protected abstract trackerOf(
    request: Record<string, unknown>,
  ): string | undefined;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter(
      (throttler) => throttler.name === this.limitName,
    );
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    // An unconfigured limit (0 = off) costs nothing per request.
    if (this.throttlers.length === 0) return Promise.resolve(true);
    return super.canActivate(context);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<Record<string, unknown>>();
    return Promise.resolve(this.trackerOf(request) === undefined);
  }

  protected override getTracker(
    request: Record<string, unknown>,
  ): Promise<string> {
    return Promise.resolve(this.trackerOf(request) ?? '');
  }

  /** One budget per caller across every route (the library's default is per route). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(
      this.limitName,
      Math.max(1, Math.ceil(detail.timeToBlockExpire)),
    );
  }
}
