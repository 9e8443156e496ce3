import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { SigningApp } from './signing-apps';
import type { WithSigningApp } from './signing-app.hook';

/** The app resolveSigningApps resolved for this request. */
export const ForApp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SigningApp => {
    const app = context.switchToHttp().getRequest<WithSigningApp>().signingApp;
    // Only reachable if a signing route's pattern were missing from signingRoutesOf: fail closed.
    if (!app) throw new Error('the signing app was not resolved');
    return app;
  },
);
