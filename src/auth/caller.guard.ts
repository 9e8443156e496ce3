import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { CallerIdentity } from './caller-identity';

/**
 * Runs the strategies named in `AUTH_STRATEGIES`, in order (PassportModule's defaultStrategy);
 * the first that identifies the caller wins.
 */
@Injectable()
export class CallerGuard extends AuthGuard() {
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
