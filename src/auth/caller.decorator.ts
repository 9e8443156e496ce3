import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CallerIdentity } from './caller-identity';

/** The identity the CallerGuard attached to the request. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CallerIdentity =>
    context.switchToHttp().getRequest<{ user: CallerIdentity }>().user,
);
