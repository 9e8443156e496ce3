import { ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import { RateLimitedError } from './rate-limited.error';

/** The limit a route gets, read once from its decorators. */
type RouteLimit =
  | { kind: 'skip' }
  | { kind: 'fixed'; limit: number; ttl: number; blockDuration: number }
  // A per-request value or tracker (a function in a decorator): the library's own path.
  | { kind: 'library' };

/**
 * A ThrottlerGuard that applies one named limit only, and answers through the error filter
 * (429, the contract's body, `Retry-After`) instead of the library's own exception.
 *
 * A route's `@SkipThrottle`/`@Throttle` values are read once per handler: the library reads
 * them from the metadata on every request (ten reflector look-ups and four awaits per guard),
 * which with the two guards was 4.8% of a sign-in's CPU in the main bench row (Node 24).
 */
export abstract class LimitedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly limitName: string;
  /** One entry per route handler, a set fixed by the code. */
  private readonly routes = new Map<object, RouteLimit>();

  /** Whom the request counts against; undefined skips the limit for it. */
  protected abstract trackerOf(
    request: Record<string, unknown>,
  ): string | undefined;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter(
      (throttler) => throttler.name === this.limitName,
    );
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    // An unconfigured limit (0 = off) costs nothing per request.
    if (this.throttlers.length === 0) return Promise.resolve(true);
    const route = this.routeLimit(context);
    if (route.kind === 'library') return super.canActivate(context);
    if (route.kind === 'skip') return Promise.resolve(true);
    const tracker = this.trackerOf(
      context.switchToHttp().getRequest<Record<string, unknown>>(),
    );
    if (tracker === undefined) return Promise.resolve(true);
    return this.storageService
      .increment(
        this.generateKey(context, tracker, this.limitName),
        route.ttl,
        route.limit,
        route.blockDuration,
        this.limitName,
      )
      .then((record) => {
        if (record.isBlocked) {
          throw new RateLimitedError(
            this.limitName,
            Math.max(1, Math.ceil(record.timeToBlockExpire)),
          );
        }
        return true;
      });
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<Record<string, unknown>>();
    return Promise.resolve(this.trackerOf(request) === undefined);
  }

  protected override getTracker(
    request: Record<string, unknown>,
  ): Promise<string> {
    return Promise.resolve(this.trackerOf(request) ?? '');
  }

  /** One budget per caller across every route (the library's default is per route). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(
      this.limitName,
      Math.max(1, Math.ceil(detail.timeToBlockExpire)),
    );
  }

  private routeLimit(context: ExecutionContext): RouteLimit {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      route = this.readRouteLimit(context);
      this.routes.set(handler, route);
    }
    return route;
  }

  private readRouteLimit(context: ExecutionContext): RouteLimit {
    const throttler = this.throttlers[0];
    const name = throttler.name ?? '';
    const read = (key: string): unknown =>
      this.reflector.getAllAndOverride<unknown>(key + name, [
        context.getHandler(),
        context.getClass(),
      ]);
    if (read(THROTTLER_SKIP)) return { kind: 'skip' };
    const limit = read(THROTTLER_LIMIT) ?? throttler.limit;
    const ttl = read(THROTTLER_TTL) ?? throttler.ttl;
    const blockDuration =
      read(THROTTLER_BLOCK_DURATION) ?? throttler.blockDuration ?? ttl;
    const perRequest =
      read(THROTTLER_TRACKER) !== undefined ||
      read(THROTTLER_KEY_GENERATOR) !== undefined ||
      throttler.skipIf ||
      throttler.ignoreUserAgents ||
      throttler.getTracker ||
      throttler.generateKey ||
      this.commonOptions.skipIf ||
      this.commonOptions.ignoreUserAgents;
    if (
      perRequest ||
      typeof limit !== 'number' ||
      typeof ttl !== 'number' ||
      typeof blockDuration !== 'number'
    ) {
      return { kind: 'library' };
    }
    return { kind: 'fixed', limit, ttl, blockDuration };
  }
}
