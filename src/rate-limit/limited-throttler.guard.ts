import { ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from './rate-limited.error';

/**
 * A ThrottlerGuard that applies one named limit only, and answers through the error filter
 * (429, the contract's body, `Retry-After`) instead of the library's own exception.
 */
export abstract class LimitedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly limitName: string;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter(
      (throttler) => throttler.name === this.limitName,
    );
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // An unconfigured limit (0 = off) costs nothing per request.
    return this.throttlers.length === 0 ? true : super.canActivate(context);
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
