import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { MemoryRateLimitStore } from './memory.rate-limit.store';
import { RateLimitRecord, RateLimitStore } from './rate-limit.store';
import { RedisCircuitBreaker } from './redis-circuit-breaker';

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
  /** `REDIS_BREAKER_COOLDOWN_MS`: how long Redis is left alone after a failure. */
  breakerCooldownMs: number;
  /** The local budgets used meanwhile (bounded like the store used without Redis). */
  fallback: MemoryRateLimitStore;
  /** Called for each check that fell back to the local budget (a metric). */
  onFallback?: () => void;
  /** Told when the breaker opens (an outage begins) and closes (a metric). */
  onBreakerChange?: (open: boolean) => void;
}

/**
 * The budget every replica shares. When Redis cannot answer, each check falls back to this
 * replica's own in-memory budget (logged once per outage): rate limiting must not turn a Redis
 * outage into a sign-in outage. A circuit breaker (redis-circuit-breaker.ts) keeps a Redis that
 * stopped answering from costing each request its command timeout.
 */
export class RedisRateLimitStore
  extends RateLimitStore
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RedisWithHit;
  private readonly fallback: MemoryRateLimitStore;
  private readonly breaker: RedisCircuitBreaker;
  private closing?: Promise<void>;

  constructor(private readonly options: RedisStoreOptions) {
    super();
    this.fallback = options.fallback;
    this.breaker = new RedisCircuitBreaker({
      cooldownMs: options.breakerCooldownMs,
      onOpen: (reason) => {
        this.logger.warn(
          `Redis unreachable (${reason}): rate limits use each replica's own budget until it is back (asking again every ${options.breakerCooldownMs} ms)`,
        );
        options.onBreakerChange?.(true);
      },
      onClose: () => {
        this.logger.log('Redis reachable again: rate limits are shared again');
        options.onBreakerChange?.(false);
      },
    });
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
    this.redis.on('error', (error: Error) =>
      this.breaker.failed(error.message),
    );
    this.redis.on('ready', () => this.breaker.succeeded());
  }

  /** Nest calls the hooks twice: this instance is both RateLimitStore and ThrottlerStorage. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status !== 'wait') return;
    try {
      await this.redis.connect();
    } catch (error) {
      // Start anyway; the client keeps reconnecting in the background.
      this.breaker.failed((error as Error).message);
    }
  }

  /** A caller over the limit waits for the window to end (no separate block duration). */
  async increment(
    key: string,
    ttlMs: number,
    limit: number,
  ): Promise<RateLimitRecord> {
    if (!this.breaker.allowsCommands) {
      this.probeWhenDue();
      return this.useFallback(key, ttlMs, limit);
    }
    try {
      const [hits, remainingMs] = await this.redis.rateLimitHit(
        `${this.options.keyPrefix}rate-limit:${key}`,
        ttlMs,
      );
      this.breaker.succeeded();
      const secondsLeft = Math.max(1, Math.ceil(remainingMs / 1000));
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire: secondsLeft,
        isBlocked,
        timeToBlockExpire: isBlocked ? secondsLeft : 0,
      };
    } catch (error) {
      this.breaker.failed((error as Error).message);
      return this.useFallback(key, ttlMs, limit);
    }
  }

  private useFallback(
    key: string,
    ttlMs: number,
    limit: number,
  ): Promise<RateLimitRecord> {
    this.options.onFallback?.();
    return this.fallback.increment(key, ttlMs, limit);
  }

  /**
   * Once per cooldown, one PING in the background: the request that triggers it is answered
   * from the local budget like the others, so no request waits on a Redis that may be frozen.
   */
  private probeWhenDue(): void {
    if (!this.breaker.takeProbe()) return;
    void this.redis.ping().then(
      () => this.breaker.succeeded(),
      (error: Error) => this.breaker.failed(error.message),
    );
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
}
