import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpConfig } from '../config/app-config';
import { SigningApp, SigningApps } from './signing-apps';
import { UnknownAppError } from './unknown-app.error';

/** The route parameter of `/apps/{name}/…` (see PusherModule). */
export const APP_PARAM = 'app';

export type WithSigningApp = FastifyRequest & { signingApp?: SigningApp };

/** The route patterns (Fastify's `routeOptions.url`) of the sign-in and channel endpoints. */
export function signingRoutesOf(
  http: Pick<HttpConfig, 'userAuthPath' | 'channelAuthPath'>,
): string[] {
  return [http.userAuthPath, http.channelAuthPath].flatMap((path) => [
    path,
    `/apps/:${APP_PARAM}${path}`,
  ]);
}

/**
 * Resolves the app a request signs for as soon as it is routed, before its body is read: an
 * unknown name is a 404 whatever the request holds (a body that would be a 400 or a 413 is never
 * read), and costs no parsing, token verification or storage read. A Fastify hook, not a Nest
 * guard, because Nest's guards run after Fastify has parsed the body. The unprefixed paths sign
 * for the default app.
 */
export function resolveSigningApps(
  fastify: FastifyInstance,
  apps: SigningApps,
  signingRoutes: readonly string[],
): void {
  const routes = new Set(signingRoutes);
  fastify.addHook('onRequest', (request: WithSigningApp, _reply, done) => {
    if (!routes.has(request.routeOptions.url ?? '')) return done();
    const name = (request.params as Record<string, string> | undefined)?.[
      APP_PARAM
    ];
    const app = name === undefined ? apps.defaultApp : apps.get(name);
    if (!app) return done(new UnknownAppError());
    request.signingApp = app;
    done();
  });
}
