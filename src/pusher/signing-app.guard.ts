import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SigningApp, SigningApps } from './signing-apps';
import { UnknownAppError } from './unknown-app.error';

/** The route parameter of `/apps/{name}/…` (see PusherModule). */
export const APP_PARAM = 'app';

export type WithSigningApp = FastifyRequest & { signingApp?: SigningApp };

/**
 * Resolves the app a request signs for, before anything else runs: an unknown name is a 404 that
 * costs no parsing, token verification or storage read. The unprefixed paths sign for the default.
 */
@Injectable()
export class SigningAppGuard implements CanActivate {
  constructor(private readonly apps: SigningApps) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WithSigningApp>();
    const name = (request.params as Record<string, string> | undefined)?.[
      APP_PARAM
    ];
    const app = name === undefined ? this.apps.defaultApp : this.apps.get(name);
    if (!app) throw new UnknownAppError();
    request.signingApp = app;
    return true;
  }
}
