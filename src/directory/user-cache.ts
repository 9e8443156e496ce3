import { LRUCache } from 'lru-cache';
import { DirectoryUnavailableError } from './directory.errors';
import type { PusherUser } from './user-rules';

/** Told the result of each look-up (the cache hit/miss metrics). */
export type CacheObserver = (result: 'hit' | 'miss' | 'shared') => void;

/** Bounded so a flood of distinct users cannot grow memory without limit. */
const MAX_CACHED_USERS = 50_000;

interface CachedUser {
  user: PusherUser;
  /** When the load began: a change committed after that may not be in it. */
  loadedAt: number;
  /** The cache generation it was loaded in; a reset starts a new one. */
  generation: number;
}

export interface UserCacheOptions {
  /** How long a loaded user is reused; 0 reloads every time. */
  ttlMs: number;
  /** How long past `ttlMs` a user may still be served while storage is down. */
  staleIfErrorMs: number;
  /** Told each time a stale user is served instead of an error. */
  onStale?: (id: string, ageMs: number) => void;
  /** Told the result of each look-up (the cache hit/miss metrics). */
  observe?: CacheObserver;
  now?: () => number;
}

/**
 * Loaded users, reused for `DIRECTORY_CACHE_TTL_MS`; concurrent misses for one id share a
 * single storage read (a sign-in burst after a reconnect wave would otherwise multiply them).
 * Change notifications evict a user (`invalidate`) or age every entry at once (`reset`).
 */
export class UserCache {
  private readonly users?: LRUCache<string, CachedUser>;
  private readonly loading = new Map<string, Promise<PusherUser | null>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: UserCacheOptions) {
    this.now = options.now ?? Date.now;
    const keepMs = options.ttlMs + options.staleIfErrorMs;
    // Kept for the stale window too; whether an entry is still fresh is decided in `isFresh`.
    if (keepMs > 0) {
      this.users = new LRUCache({
        max: MAX_CACHED_USERS,
        ttl: keepMs,
        // Exact expiry against our clock (the default caches "now" for a millisecond).
        ttlResolution: 0,
        perf: { now: () => this.now() },
      });
    }
  }

  async getOrLoad(
    id: string,
    load: () => Promise<PusherUser | null>,
  ): Promise<PusherUser | null> {
    const cached = this.users?.get(id);
    if (cached && this.isFresh(cached)) {
      this.options.observe?.('hit');
      return cached.user;
    }
    const pending = this.loading.get(id);
    this.options.observe?.(pending ? 'shared' : 'miss');
    try {
      return await (pending ?? this.startLoad(id, load));
    } catch (error) {
      // Read again: a user changed or removed meanwhile must not be served from before.
      const stale = this.users?.get(id);
      if (
        error instanceof DirectoryUnavailableError &&
        stale &&
        this.withinStaleWindow(stale)
      ) {
        this.options.onStale?.(id, this.now() - stale.loadedAt);
        return stale.user;
      }
      throw error;
    }
  }

  /** The user changed or is gone: the next look-up reads storage. */
  invalidate(id: string): void {
    this.users?.delete(id);
    // A read already under way may predate the change: it must not be cached.
    this.loading.delete(id);
  }

  /**
   * Anything may have changed: every entry stops being fresh, but stays usable as a stale
   * fallback (within `staleIfErrorMs`) should storage be down.
   */
  reset(): void {
    this.generation++;
    this.loading.clear();
  }

  private withinStaleWindow(entry: CachedUser): boolean {
    const { ttlMs, staleIfErrorMs } = this.options;
    return this.now() - entry.loadedAt < ttlMs + staleIfErrorMs;
  }

  private isFresh(entry: CachedUser): boolean {
    return (
      entry.generation === this.generation &&
      this.now() - entry.loadedAt < this.options.ttlMs
    );
  }

  private startLoad(
    id: string,
    load: () => Promise<PusherUser | null>,
  ): Promise<PusherUser | null> {
    const loadedAt = this.now();
    const generation = this.generation;
    const loading: Promise<PusherUser | null> = load().then(
      (user) => {
        if (this.loading.get(id) === loading) {
          this.loading.delete(id);
          if (user) this.users?.set(id, { user, loadedAt, generation });
        }
        return user;
      },
      (error: unknown) => {
        if (this.loading.get(id) === loading) this.loading.delete(id);
        throw error;
      },
    );
    this.loading.set(id, loading);
    return loading;
  }
}
