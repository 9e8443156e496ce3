import type { z } from 'zod';
import type { AuthRequest } from './auth-request';
import { failureReason } from './failure-reason';
import { IdentityProviderUnavailable } from './identity-provider-unavailable';
import type { BootContext, SetupContext } from './plugin-context';
import {
  Caller,
  defineStrategy,
  DefinedStrategy,
  Environment,
} from './strategy-definition';

/**
 * A Passport strategy as the `passport-strategy` package defines it: `authenticate(req, options)`
 * ends by calling one of the actions Passport adds to it (`success`, `fail`, `error`, `pass`,
 * `redirect`). Every strategy on npm built on it fits (passport-http-bearer, passport-headerapikey…).
 */
export interface PassportStrategyLike {
  authenticate(this: unknown, request: unknown, options?: unknown): void;
}

/** The request a Passport strategy is handed: Express's fields that strategies read. */
export interface PassportRequest {
  method: string;
  url: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  body: Readonly<Record<string, string>>;
  cookies: Readonly<Record<string, string>>;
  ip: string;
  get(name: string): string | undefined;
  header(name: string): string | undefined;
}

export interface PassportStrategyDefinition<S> {
  readonly name: string;
  readonly description?: string;
  readonly settings?: z.ZodType<S, Environment>;
  readonly secrets?: readonly string[];
  readonly validate?: (settings: S, context: BootContext) => readonly string[];
  /** Builds the strategy instance once, at boot (its verify callback is yours). */
  readonly strategy: (
    settings: S,
    context: SetupContext,
  ) => PassportStrategyLike | Promise<PassportStrategyLike>;
  /** The caller, from what the strategy's verify callback handed to `done(null, user, info)`. */
  readonly toCaller: (user: unknown, info: unknown) => Caller | null;
  /** How long one attempt may take before it counts as an unavailable provider. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Uses an existing Passport strategy as a pusher-auth strategy. A `fail`, `pass` or `redirect`
 * declines (the next strategy is tried); an `error` (what the verify callback passes to `done`)
 * or no answer within `timeoutMs` is an unavailable provider (503).
 */
export function definePassportStrategy<S = Environment>(
  definition: PassportStrategyDefinition<S>,
): DefinedStrategy<S, PassportStrategyLike> {
  if (typeof definition?.strategy !== 'function') {
    throw new TypeError('a Passport strategy definition needs strategy()');
  }
  if (typeof definition.toCaller !== 'function') {
    throw new TypeError('a Passport strategy definition needs toCaller()');
  }
  const timeoutMs = definition.timeoutMs ?? 5_000;
  // setTimeout runs NaN, a negative or Infinity after 1 ms: every attempt would time out.
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs < 1
  ) {
    throw new TypeError(
      `${String(definition.name)}: timeoutMs must be a number of milliseconds, at least 1`,
    );
  }
  return defineStrategy<S, PassportStrategyLike>({
    name: definition.name,
    description: definition.description,
    settings: definition.settings,
    secrets: definition.secrets,
    validate: definition.validate,
    setup: async (settings, context) => {
      const strategy = await definition.strategy(settings, context);
      if (typeof strategy?.authenticate !== 'function') {
        throw new TypeError(
          `${definition.name}: strategy() must return a Passport strategy (an object with authenticate)`,
        );
      }
      return strategy;
    },
    authenticate: async (request, strategy) => {
      const outcome = await attempt(
        strategy,
        passportRequest(request),
        timeoutMs,
      );
      return outcome ? definition.toCaller(outcome.user, outcome.info) : null;
    },
  });
}

/** One run of `authenticate`, on a fresh object whose prototype is the strategy (as Passport does). */
function attempt(
  strategy: PassportStrategyLike,
  request: PassportRequest,
  timeoutMs: number,
): Promise<{ user: unknown; info: unknown } | null> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new IdentityProviderUnavailable(`no answer within ${timeoutMs} ms`),
          ),
        ),
      timeoutMs,
    );
    const run = Object.create(strategy) as Record<string, unknown>;
    run.success = (user: unknown, info: unknown) =>
      settle(() => resolve(user ? { user, info } : null));
    run.fail = () => settle(() => resolve(null));
    run.pass = () => settle(() => resolve(null));
    run.redirect = () => settle(() => resolve(null));
    run.error = (error: unknown) =>
      settle(() =>
        reject(
          new IdentityProviderUnavailable(
            error instanceof Error ? error.message : 'the strategy failed',
          ),
        ),
      );
    try {
      strategy.authenticate.call(run, request, { session: false });
    } catch (error) {
      settle(() =>
        reject(
          error instanceof Error ? error : new Error(failureReason(error)),
        ),
      );
    }
  });
}

function passportRequest(request: AuthRequest): PassportRequest {
  const header = (name: string) => request.headers[name.toLowerCase()];
  const search = new URLSearchParams(request.query).toString();
  return {
    method: request.method,
    url: search ? `${request.path}?${search}` : request.path,
    path: request.path,
    headers: request.headers,
    query: request.query,
    body: request.body,
    cookies: request.cookies,
    ip: request.clientAddress,
    get: header,
    header,
  };
}
