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
  /** Most kept values held, and most loads under way; the least recently used value makes room. */
  max: number;
  /**
   * How long a loaded value is reused: one TTL, or each value's own (an answer with an expiry).
   * 0: look-ups already waiting share the load, and the next one loads again.
   */
  ttlMs: number | ((value: V) => number);
  /**
   * Values never kept, not even as a stale fallback (a user not found may appear any time): they
   * answer the look-ups that shared their load, and take no kept value's place.
   */
  keep?: (value: V) => boolean;
  staleIfError?: StaleIfError;
  /** Told the result of each look-up. */
  onLookup?: (result: CacheLookup) => void;
  /** Told each time a kept value is dropped to make room for another. */
  onEvict?: () => void;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  /** When its load began: a change committed after that may not be in it. */
  loadedAt: number;
  freshUntil: number;
  /** `invalidateAll` starts a new generation: entries of an older one are no longer fresh. */
  generation: number;
}

/** A load under way. Dropped by an invalidation: its look-ups get its value, nothing keeps it. */
interface Loading<V> {
  promise: Promise<V>;
  dropped: boolean;
}

type Load<V> = () => Promise<V>;

/**
 * A bounded cache of loaded values: concurrent look-ups of one key share a single load, and a
 * failed load is never cached.
 *
 * Loaded values live in an LRU of `max` entries; loads under way are held apart from it (at most
 * `max` of them; past that a look-up loads without sharing), and values `keep` refuses are never
 * stored. A flood of keys that are never found, or slow to load, therefore evicts no loaded value.
 *
 * Invalidation, one rule everywhere: `invalidate(key)` and `invalidateAll()` drop the loads under
 * way. The look-ups already waiting on a dropped load still get its value, but it is not kept,
 * and a look-up arriving afterwards starts a new load (which sees the change). `invalidate` also
 * forgets the value; `invalidateAll` keeps values as a stale fallback only.
 */
export class LoadingCache<V> {
  private readonly values: LRUCache<string, Entry<V>>;
  private readonly loading = new Map<string, Loading<V>>();
  private generation = 0;
  private readonly now: () => number;
  private readonly staleWindowMs: number;

  constructor(private readonly options: LoadingCacheOptions<V>) {
    this.now = options.now ?? Date.now;
    this.staleWindowMs = options.staleIfError?.windowMs ?? 0;
    this.values = new LRUCache<string, Entry<V>>({
      max: options.max,
      // Exact expiry against our clock (the default caches "now" for a millisecond).
      ttlResolution: 0,
      perf: { now: () => this.now() },
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') options.onEvict?.();
      },
    });
  }

  /** The value for `key`, loaded with `load` unless a fresh one is at hand or being loaded. */
  async get(key: string, load: Load<V>): Promise<V> {
    const cached = this.values.peek(key, { allowStale: true });
    if (cached && this.isFresh(cached)) {
      this.values.get(key); // most recently used now
      this.options.onLookup?.('hit');
      return cached.value;
    }
    const underWay = this.loading.get(key);
    this.options.onLookup?.(underWay ? 'shared' : 'miss');
    try {
      return await (underWay ?? this.startLoad(key, load)).promise;
    } catch (error) {
      return this.staleOrThrow(key, error);
    }
  }

  /** The value changed or is gone: forget it, and drop a load under way. */
  invalidate(key: string): void {
    this.values.delete(key);
    const loading = this.loading.get(key);
    if (loading) loading.dropped = true;
    this.loading.delete(key);
  }

  /**
   * Anything may have changed: no entry is fresh any more (each kept value stays a stale
   * fallback within its window), and every load under way is dropped.
   */
  invalidateAll(): void {
    this.generation++;
    for (const loading of this.loading.values()) loading.dropped = true;
    this.loading.clear();
  }

  private startLoad(key: string, load: Load<V>): Loading<V> {
    const loadedAt = this.now();
    const generation = this.generation;
    const loading: Loading<V> = { promise: load(), dropped: false };
    // Past the bound the load runs unshared rather than growing the map.
    const shared = this.loading.size < this.options.max;
    if (shared) this.loading.set(key, loading);
    const settled = () => {
      if (this.loading.get(key) === loading) this.loading.delete(key);
    };
    loading.promise.then((value) => {
      settled();
      if (!loading.dropped && generation === this.generation) {
        this.store(key, value, loadedAt, generation);
      }
    }, settled);
    return loading;
  }

  private store(key: string, value: V, loadedAt: number, generation: number) {
    const { ttlMs, keep } = this.options;
    const freshMs = Math.max(
      0,
      typeof ttlMs === 'number' ? ttlMs : ttlMs(value),
    );
    const entry: Entry<V> = {
      value,
      loadedAt,
      freshUntil: loadedAt + freshMs,
      generation,
    };
    const keepMs = freshMs + this.staleWindowMs - (this.now() - loadedAt);
    // lru-cache reads a TTL of 0 as "forever": a value with nothing left to live is not stored.
    if (keepMs > 0 && (keep?.(value) ?? true)) {
      this.values.set(key, entry, { ttl: Math.ceil(keepMs) });
    } else this.values.delete(key);
  }

  private isFresh(entry: Entry<V>): boolean {
    return (
      entry.generation === this.generation && this.now() < entry.freshUntil
    );
  }

  /** Read after the failure: a value invalidated meanwhile is gone and never served. */
  private staleOrThrow(key: string, error: unknown): V {
    const stale = this.options.staleIfError;
    const entry = this.values.peek(key, { allowStale: true });
    if (
      !stale ||
      !entry ||
      !stale.when(error) ||
      this.now() >= entry.freshUntil + this.staleWindowMs
    ) {
      throw error;
    }
    stale.onStale?.(key, this.now() - entry.loadedAt);
    return entry.value;
  }
}
