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
 * Most windows dropped in one turn of the event loop; the sweep yields between slices. One pass
 * over every window stalled all requests: 490 ms for the default 100 000 (docs/performance.md,
 * "Round four"); a slice of 1 000 takes about 1-3 ms.
 */
const SWEEP_SLICE = 1_000;

/**
 * This process's budgets: the same fixed windows as the Redis store (the first hit starts a
 * window, a caller over the limit waits for it to end), bounded twice. By time: a window is never
 * read after it ended, and is swept out a minute or two later (see `removeEnded`). By count: at
 * most `maxKeys` windows; a flood of distinct addresses or users evicts the least recently used
 * window, which restarts that key's budget, and each such eviction is counted. Measured with
 * 40-character keys: 100 000 windows take about 34 MB (lru-cache reserves 1.6 MB of it up front);
 * the store this replaced (@nestjs/throttler's) took 194 MB for 210 000 keys, without any bound.
 */
export class MemoryRateLimitStore
  extends RateLimitStore
  implements OnApplicationShutdown
{
  private readonly windows: LRUCache<string, Window>;
  private readonly now: () => number;
  private readonly sweep: NodeJS.Timeout;
  private nextSlice?: NodeJS.Immediate;

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

  /**
   * Drops ended windows from the least recently used end, a slice per turn of the event loop,
   * and stops at the first window still running. Every window used less recently than a given
   * one was last hit no later than it, so has ended once the longest window has passed since that
   * hit: a window is dropped by the first sweep after its key's last hit plus the longest window.
   */
  removeEnded(): void {
    this.nextSlice = undefined;
    const now = this.now();
    const ended: string[] = [];
    for (const key of this.windows.rkeys()) {
      // peek: a look that leaves the window where it is in the recency order.
      const window = this.windows.peek(key);
      if (!window || window.endsAt > now || ended.length === SWEEP_SLICE) break;
      ended.push(key);
    }
    for (const key of ended) this.windows.delete(key);
    if (ended.length === SWEEP_SLICE) {
      this.nextSlice = setImmediate(() => this.removeEnded());
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.windows.clear();
  }
}
