import { ExecutionContext, Injectable } from '@nestjs/common';
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

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(callerOf(context) === undefined);
  }

  protected override getTracker(
    request: Record<string, unknown>,
  ): Promise<string> {
    return Promise.resolve((request.user as CallerIdentity).id);
  }
}

function callerOf(context: ExecutionContext): CallerIdentity | undefined {
  return context.switchToHttp().getRequest<{ user?: CallerIdentity }>().user;
}
