import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { LimitedThrottlerGuard } from './limited-throttler.guard';
import { USER_LIMIT } from './rate-limit.names';

/**
 * `RATE_LIMIT_PER_USER`: needs the caller's identity, so it is listed after CallerGuard on
 * each authenticated controller: `@UseGuards(CallerGuard, UserThrottlerGuard)`.
 */
@Injectable()
export class UserThrottlerGuard extends LimitedThrottlerGuard {
  protected readonly limitName = USER_LIMIT;

  /** A request without a caller (none identified) is not counted here. */
  protected trackerOf(request: { user?: CallerIdentity }): string | undefined {
    return request.user?.id;
  }
}
