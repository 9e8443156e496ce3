import { LRUCache } from 'lru-cache';
import type { ChannelAccess } from './channel-access';

/** Bounded like the user cache, so a flood of distinct users cannot grow memory without limit. */
const MAX_CACHED_USERS = 50_000;

/**
 * Users' channel access, reused for `DIRECTORY_CACHE_TTL_MS` (the UserCache pattern): a page that
 * subscribes to ten channels asks storage once, and concurrent misses share one read.
 */
export class ChannelAccessCache {
  private readonly entries?: LRUCache<string, ChannelAccess>;
  private readonly loading = new Map<string, Promise<ChannelAccess>>();

  constructor(ttlMs: number) {
    if (ttlMs > 0)
      this.entries = new LRUCache({ max: MAX_CACHED_USERS, ttl: ttlMs });
  }

  async getOrLoad(
    userId: string,
    load: () => Promise<ChannelAccess>,
  ): Promise<ChannelAccess> {
    const cached = this.entries?.get(userId);
    if (cached) return cached;
    const pending = this.loading.get(userId);
    if (pending) return pending;
    const loaded = load().then((access) => {
      this.entries?.set(userId, access);
      return access;
    });
    this.loading.set(userId, loaded);
    try {
      return await loaded;
    } finally {
      this.loading.delete(userId);
    }
  }

  invalidate(userId: string): void {
    this.entries?.delete(userId);
  }
}
