import { LRUCache } from 'lru-cache';
import type { PusherUser } from './user-rules';

/** Told the result of each look-up (the cache hit/miss metrics). */
export type CacheObserver = (result: 'hit' | 'miss' | 'shared') => void;

/** Bounded so a flood of distinct users cannot grow memory without limit. */
const MAX_CACHED_USERS = 50_000;

/**
 * Loaded users, reused for `DIRECTORY_CACHE_TTL_MS`; concurrent misses for one id share a
 * single storage read (a sign-in burst after a reconnect wave would otherwise multiply them).
 */
export class UserCache {
  private readonly users?: LRUCache<string, PusherUser>;
  private readonly loading = new Map<string, Promise<PusherUser | null>>();

  constructor(
    ttlMs: number,
    private readonly observe: CacheObserver = () => undefined,
  ) {
    if (ttlMs > 0)
      this.users = new LRUCache({ max: MAX_CACHED_USERS, ttl: ttlMs });
  }

  async getOrLoad(
    id: string,
    load: () => Promise<PusherUser | null>,
  ): Promise<PusherUser | null> {
    const cached = this.users?.get(id);
    if (cached) {
      this.observe('hit');
      return cached;
    }
    const pending = this.loading.get(id);
    if (pending) {
      this.observe('shared');
      return pending;
    }
    this.observe('miss');
    const loaded = load().then((user) => {
      if (user) this.users?.set(id, user);
      return user;
    });
    this.loading.set(id, loaded);
    try {
      return await loaded;
    } finally {
      this.loading.delete(id);
    }
  }

  invalidate(id: string): void {
    this.users?.delete(id);
  }
}
