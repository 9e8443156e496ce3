import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { MemoryRateLimitStore } from './memory.rate-limit.store';
import { RateLimitRecord, RateLimitStore } from './rate-limit.store';

/**
 * One fixed window per key, counted atomically in Redis: the first hit starts the window,
 * every hit counts, and a caller over the limit waits for the window to end.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

type RedisWithHit = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
};

export interface RedisStoreOptions {
  url: string;
  keyPrefix: string;
  /** Called for each check that fell back to the local budget (a metric). */
  onFallback?: () => void;
}

/**
 * The budget every replica shares. When Redis cannot answer, each check falls back to this
 * replica's own in-memory budget (logged once per outage): rate limiting must not turn a Redis
 * outage into a sign-in outage.
 */
export class RedisRateLimitStore
  extends RateLimitStore
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RedisWithHit;
  private readonly fallback = new MemoryRateLimitStore();
  private degraded = false;
  private closing?: Promise<void>;

  constructor(private readonly options: RedisStoreOptions) {
    super();
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail at once while disconnected instead of queueing behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 500,
      // How long a closing connection may linger at shutdown (ioredis waits 2 s by default).
      disconnectTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    }) as RedisWithHit;
    this.redis.defineCommand('rateLimitHit', {
      numberOfKeys: 1,
      lua: HIT_SCRIPT,
    });
    this.redis.on('error', (error: Error) => this.degrade(error));
    this.redis.on('ready', () => this.recover());
  }

  /** Nest calls the hooks twice: this instance is both RateLimitStore and ThrottlerStorage. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status !== 'wait') return;
    try {
      await this.redis.connect();
    } catch (error) {
      // Start anyway; the client keeps reconnecting in the background.
      this.degrade(error as Error);
    }
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<RateLimitRecord> {
    try {
      const [hits, remainingMs] = await this.redis.rateLimitHit(
        `${this.options.keyPrefix}rate-limit:${key}`,
        ttlMs,
      );
      if (this.degraded) this.recover();
      const secondsLeft = Math.max(1, Math.ceil(remainingMs / 1000));
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire: secondsLeft,
        isBlocked,
        timeToBlockExpire: isBlocked ? secondsLeft : 0,
      };
    } catch (error) {
      this.degrade(error as Error);
      this.options.onFallback?.();
      return this.fallback.increment(
        key,
        ttlMs,
        limit,
        blockDurationMs,
        throttlerName,
      );
    }
  }

  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    this.fallback.onApplicationShutdown();
    this.redis.removeAllListeners('error');
    this.redis.on('error', () => undefined);
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  private degrade(error: Error): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      `Redis unreachable (${error.message}): rate limits use each replica's own budget until it is back`,
    );
  }

  private recover(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Redis reachable again: rate limits are shared again');
  }
}
