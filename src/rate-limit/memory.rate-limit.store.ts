import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { RateLimitRecord, RateLimitStore } from './rate-limit.store';

/** @nestjs/throttler's own in-memory storage: one budget per process. */
export class MemoryRateLimitStore
  extends RateLimitStore
  implements OnApplicationShutdown
{
  private readonly storage = new ThrottlerStorageService();

  increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<RateLimitRecord> {
    return this.storage.increment(
      key,
      ttlMs,
      limit,
      blockDurationMs,
      throttlerName,
    );
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}
