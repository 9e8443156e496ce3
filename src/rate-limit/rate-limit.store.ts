import type { ThrottlerStorage } from '@nestjs/throttler';

/** @nestjs/throttler's storage record (the package does not export its type). */
export interface RateLimitRecord {
  totalHits: number;
  /** Seconds until the current window ends. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until a blocked caller may try again. */
  timeToBlockExpire: number;
}

/**
 * Where request counts live: in this process (`memory.rate-limit.store.ts`) or in Redis shared
 * by every replica (`redis.rate-limit.store.ts`). Chosen once at boot from `REDIS_URL`.
 */
export abstract class RateLimitStore implements ThrottlerStorage {
  abstract increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<RateLimitRecord>;
}
