import { LRUCache } from 'lru-cache';

/** How a look-up was answered: a fresh entry, a new load, or a load already under way. */
export type CacheLookup = 'hit' | 'miss' | 'shared';

/** Serving a value past its TTL when reloading it fails. */
export interface StaleIfError {
  /** How long past its TTL a value may still be served. */
  windowMs: number;
  /** The failures that may be answered with a stale value (storage down, not a bug). */
  when: (error: unknown) => boolean;
  /** Told each time a stale value is served instead of an error, with its age. */
  onStale?: (key: string, ageMs: number) => void;
}

export interface LoadingCacheOptions<V> {
  /** Most entries held, loads under way included; the least recently used one makes room. */
  max: number;
  /**
   * How long a loaded value is reused: one TTL, or each value's own (an answer with an expiry).
   * 0: look-ups already waiting share the load, and the next one loads again.
   */
  ttlMs: number | ((value: V) => number);
  /** Values never kept, not even as a stale fallback (a user not found may appear any time). */
  keep?: (value: V) => boolean;
  staleIfError?: StaleIfError;
  /** Told the result of each look-up. */
  onLookup?: (result: CacheLookup) => void;
  /** Told each time an entry is dropped to make room for another. */
  onEvict?: () => void;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  /** When its load began: a change committed after that may not be in it. */
  loadedAt: number;
  freshUntil: number;
  /** Kept entries may be served (fresh, or stale on error); the others only answered their load. */
  kept: boolean;
  /** `invalidateAll` starts a new generation: entries of an older one are no longer fresh. */
  generation: number;
}

type Load<V> = () => Promise<V>;

/**
 * A bounded cache of loaded values over lru-cache's `fetch()`: concurrent look-ups of one key
 * share a single load, and a failed load is never cached.
 *
 * Invalidation, one rule everywhere: `invalidate(key)` and `invalidateAll()` drop the loads under
 * way. The look-ups already waiting on a dropped load still get its value, but it is not kept,
 * and a look-up arriving afterwards starts a new load (which sees the change). `invalidate` also
 * forgets the value; `invalidateAll` keeps values as a stale fallback only.
 */
export class LoadingCache<V> {
  private readonly entries: LRUCache<string, Entry<V>, Load<V>>;
  /** Keys with a load under way, each with its load's signal (a dropped load must not unlist a newer one). */
  private readonly loading = new Map<string, AbortSignal>();
  private generation = 0;
  private readonly now: () => number;
  private readonly staleWindowMs: number;

  constructor(private readonly options: LoadingCacheOptions<V>) {
    this.now = options.now ?? Date.now;
    this.staleWindowMs = options.staleIfError?.windowMs ?? 0;
    this.entries = new LRUCache<string, Entry<V>, Load<V>>({
      max: options.max,
      // Exact expiry against our clock (the default caches "now" for a millisecond).
      ttlResolution: 0,
      perf: { now: () => this.now() },
      // A dropped load still answers the look-ups waiting on it; its value is just not stored.
      ignoreFetchAbort: true,
      // A failed reload leaves the previous value in place, for stale-if-error.
      noDeleteOnFetchRejection: true,
      fetchMethod: (key, _stale, { signal, options: entry, context: load }) =>
        this.load(key, signal, entry, load),
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') options.onEvict?.();
      },
    });
  }

  /** The value for `key`, loaded with `load` unless a fresh one is at hand or being loaded. */
  async get(key: string, load: Load<V>): Promise<V> {
    const cached = this.entries.peek(key, { allowStale: true });
    if (cached && this.isFresh(cached)) {
      // What forceFetch answers for a fresh entry (its value, moved to most recently used),
      // without its promise, options and status objects: most sign-ins end here. A fresh entry
      // never has a load under way (a load starts only once its entry is no longer fresh).
      this.entries.get(key);
      this.options.onLookup?.('hit');
      return cached.value;
    }
    const status: LRUCache.Status<string, Entry<V>, Load<V>> = {};
    const loaded = this.entries.forceFetch(key, {
      context: load,
      forceRefresh: true,
      status,
    });
    this.options.onLookup?.(
      status.fetch === 'hit'
        ? 'hit'
        : status.fetch === 'inflight'
          ? 'shared'
          : 'miss',
    );
    try {
      return (await loaded).value;
    } catch (error) {
      return this.staleOrThrow(key, error);
    }
  }

  /** The value changed or is gone: forget it, and drop a load under way. */
  invalidate(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Anything may have changed: no entry is fresh any more (each stays a stale fallback within
   * its window), and every load under way is dropped.
   */
  invalidateAll(): void {
    this.generation++;
    for (const key of this.loading.keys()) {
      const previous = this.entries.peek(key, { allowStale: true });
      const keepMs = previous ? this.keepUntil(previous) - this.now() : 0;
      // Setting over a load under way drops it, keeping what it was refreshing.
      if (previous && keepMs > 0) {
        this.entries.set(key, previous, { ttl: Math.ceil(keepMs) });
      } else {
        this.entries.delete(key);
      }
    }
    this.loading.clear();
  }

  private async load(
    key: string,
    signal: AbortSignal,
    entryOptions: LRUCache.FetcherFetchOptions<string, Entry<V>, Load<V>>,
    load: Load<V>,
  ): Promise<Entry<V>> {
    this.loading.set(key, signal);
    const loadedAt = this.now();
    const generation = this.generation;
    try {
      const value = await load();
      const { ttlMs, keep } = this.options;
      const freshMs = Math.max(
        0,
        typeof ttlMs === 'number' ? ttlMs : ttlMs(value),
      );
      const entry: Entry<V> = {
        value,
        loadedAt,
        freshUntil: loadedAt + freshMs,
        kept: freshMs + this.staleWindowMs > 0 && (keep?.(value) ?? true),
        generation,
      };
      // lru-cache reads a TTL of 0 as "forever": an entry not kept lives a millisecond.
      entryOptions.ttl = entry.kept
        ? Math.ceil(this.keepUntil(entry) - loadedAt)
        : 1;
      return entry;
    } finally {
      if (this.loading.get(key) === signal) this.loading.delete(key);
    }
  }

  private isFresh(entry: Entry<V>): boolean {
    return (
      entry.kept &&
      entry.generation === this.generation &&
      this.now() < entry.freshUntil
    );
  }

  private keepUntil(entry: Entry<V>): number {
    return entry.kept ? entry.freshUntil + this.staleWindowMs : 0;
  }

  /** Read after the failure: a value invalidated meanwhile is gone and never served. */
  private staleOrThrow(key: string, error: unknown): V {
    const stale = this.options.staleIfError;
    const entry = this.entries.peek(key, { allowStale: true });
    if (
      !stale ||
      !entry ||
      !stale.when(error) ||
      this.now() >= this.keepUntil(entry)
    ) {
      throw error;
    }
    stale.onStale?.(key, this.now() - entry.loadedAt);
    return entry.value;
  }
}
