import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { CallerIdentity } from './caller-identity';
import { IdentityProviderUnavailableError } from './identity-provider-unavailable.error';

/**
 * Runs the strategies named in `AUTH_STRATEGIES`, in order (PassportModule's defaultStrategy);
 * the first that identifies the caller wins.
 */
@Injectable()
export class CallerGuard extends AuthGuard() {
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
      (failure) => failure instanceof IdentityProviderUnavailableError,
    );
    if (unavailable) throw unavailable;
    throw new ForbiddenException();
  }
}
