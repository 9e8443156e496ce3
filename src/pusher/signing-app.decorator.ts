import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { SigningApp } from './signing-apps';
import type { WithSigningApp } from './signing-app.guard';

/** The app the SigningAppGuard resolved for this request. */
export const ForApp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SigningApp =>
    context.switchToHttp().getRequest<WithSigningApp>()
      .signingApp as SigningApp,
);
