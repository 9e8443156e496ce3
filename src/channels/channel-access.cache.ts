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
    const loaded: Promise<ChannelAccess> = load().then((access) => {
      // A read invalidated while under way may predate the change: answered, never kept.
      if (this.loading.get(userId) === loaded)
        this.entries?.set(userId, access);
      return access;
    });
    this.loading.set(userId, loaded);
    try {
      return await loaded;
    } finally {
      if (this.loading.get(userId) === loaded) this.loading.delete(userId);
    }
  }

  /** The user's groups or grants changed: the next request reads storage. */
  invalidate(userId: string): void {
    this.entries?.delete(userId);
    this.loading.delete(userId);
  }

  /** Anyone's access may have changed (a group's grants, or missed notifications). */
  clear(): void {
    this.entries?.clear();
    this.loading.clear();
  }
}
