import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { ClientIpThrottlerGuard } from './client-ip-throttler.guard';
import { MemoryRateLimitStore } from './memory.rate-limit.store';
import { IP_LIMIT, USER_LIMIT } from './rate-limit.names';
import { RateLimitStore } from './rate-limit.store';
import { UserThrottlerGuard } from './user-throttler.guard';

const MINUTE_MS = 60_000;

/** The store is chosen once, here: Redis when `REDIS_URL` is set, this process otherwise. */
@Module({})
class RateLimitStoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { redisUrl, redisKeyPrefix, maxKeys, redisBreakerCooldownMs } =
      config.rateLimit;
    const store: Provider = {
      provide: RateLimitStore,
      inject: [Metrics],
      useFactory: async (metrics: Metrics): Promise<RateLimitStore> => {
        // Alone, or as the local budgets Redis falls back to: bounded by RATE_LIMIT_MAX_KEYS either way.
        const memory = new MemoryRateLimitStore({
          maxKeys,
          onEvict: () => metrics.recordCacheEviction('rate_limit'),
        });
        if (!redisUrl) return memory;
        // Loaded only here: ioredis is about 50 modules that a process without REDIS_URL would
        // load at every start for nothing.
        const { RedisRateLimitStore } =
          await import('./redis.rate-limit.store.js');
        return new RedisRateLimitStore({
          url: redisUrl,
          keyPrefix: redisKeyPrefix,
          breakerCooldownMs: redisBreakerCooldownMs,
          fallback: memory,
          onFallback: () => metrics.rateLimitStoreErrors.inc(),
          onBreakerChange: (open) => {
            metrics.rateLimitBreakerOpen.set(open ? 1 : 0);
            if (open) metrics.rateLimitRedisOutages.inc();
          },
        });
      },
    };
    return {
      module: RateLimitStoreModule,
      providers: [store],
      exports: [store],
    };
  }
}

@Module({})
export class RateLimitModule {
  /**
   * `RATE_LIMIT_PER_IP` as a global guard (before identification), `RATE_LIMIT_PER_USER` as a
   * guard each authenticated controller lists after CallerGuard. A limit of 0 is left out.
   */
  static forRoot(config: AppConfig): DynamicModule {
    const { perIpPerMinute, perUserPerMinute } = config.rateLimit;
    const throttlers: ThrottlerOptions[] = [];
    if (perIpPerMinute > 0) {
      throttlers.push({
        name: IP_LIMIT,
        ttl: MINUTE_MS,
        limit: perIpPerMinute,
      });
    }
    if (perUserPerMinute > 0) {
      throttlers.push({
        name: USER_LIMIT,
        ttl: MINUTE_MS,
        limit: perUserPerMinute,
      });
    }
    return {
      module: RateLimitModule,
      global: true,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [RateLimitStoreModule.forRoot(config)],
          inject: [RateLimitStore],
          useFactory: (storage: RateLimitStore) => ({
            throttlers,
            storage,
            // Retry-After is set by the error filter; the library's headers carry limit names.
            setHeaders: false,
          }),
        }),
      ],
      providers: [
        UserThrottlerGuard,
        ...(perIpPerMinute > 0
          ? [{ provide: APP_GUARD, useClass: ClientIpThrottlerGuard }]
          : []),
      ],
      exports: [ThrottlerModule, UserThrottlerGuard],
    };
  }
}
