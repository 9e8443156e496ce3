import {
  CacheLookup,
  LoadingCache,
  LoadingCacheOptions,
} from './loading-cache';

class StorageDown extends Error {}
const down = () => Promise.reject(new StorageDown('down'));

/** A promise the test settles by hand, to hold a load under way. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A cache on a clock the test moves by hand, recording what it reports. */
function cacheOf(options: Partial<LoadingCacheOptions<string | null>> = {}) {
  const clock = { now: 1_000_000 };
  const lookups: CacheLookup[] = [];
  const stale: [string, number][] = [];
  let evictions = 0;
  const cache = new LoadingCache<string | null>({
    max: 100,
    ttlMs: 1_000,
    now: () => clock.now,
    onLookup: (result) => lookups.push(result),
    onEvict: () => evictions++,
    ...options,
    staleIfError: options.staleIfError && {
      ...options.staleIfError,
      onStale: (key, ageMs) => stale.push([key, ageMs]),
    },
  });
  return { cache, clock, lookups, stale, evictions: () => evictions };
}

const staleFor = (windowMs: number) => ({
  staleIfError: {
    windowMs,
    when: (error: unknown) => error instanceof StorageDown,
  },
});

describe('LoadingCache', () => {
  it.each([
    ['one TTL', 1_000],
    ['each value’s own TTL', (value: string | null) => (value ? 1_000 : 0)],
  ])(
    'reuses a loaded value within %s and loads again after it',
    async (_case, ttlMs) => {
      const { cache, clock, lookups } = cacheOf({ ttlMs });
      const load = vi.fn(() => Promise.resolve('v1'));
      await cache.get('a', load);
      clock.now += 999;
      await cache.get('a', load);
      expect(load).toHaveBeenCalledTimes(1);
      clock.now += 1;
      await cache.get('a', load);
      expect(load).toHaveBeenCalledTimes(2);
      expect(lookups).toEqual(['miss', 'hit', 'miss']);
    },
  );

  it('shares one load among concurrent look-ups of a key', async () => {
    const { cache, lookups } = cacheOf();
    const load = vi.fn(() => Promise.resolve('v1'));
    const values = await Promise.all([1, 2, 3].map(() => cache.get('a', load)));
    expect(values).toEqual(['v1', 'v1', 'v1']);
    expect(load).toHaveBeenCalledTimes(1);
    expect(lookups).toEqual(['miss', 'shared', 'shared']);
  });

  it('keeps no value whose own TTL is 0', async () => {
    const { cache } = cacheOf({ ttlMs: (value) => (value ? 1_000 : 0) });
    const load = vi.fn(() => Promise.resolve(''));
    await cache.get('a', load);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('still shares a load when nothing may be kept', async () => {
    const { cache } = cacheOf({ ttlMs: 0 });
    const load = vi.fn(() => Promise.resolve('v1'));
    await Promise.all([cache.get('a', load), cache.get('a', load)]);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps neither a failed load nor a value `keep` refuses', async () => {
    const { cache } = cacheOf({ keep: (value) => value !== null });
    await expect(cache.get('a', down)).rejects.toBeInstanceOf(StorageDown);
    const load = vi.fn(() => Promise.resolve(null));
    await cache.get('a', load);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  describe('invalidation drops loads under way', () => {
    it('invalidate: the waiting look-ups get the load’s value, nothing is kept, the next look-up loads again', async () => {
      const { cache } = cacheOf({ ttlMs: 60_000 });
      const before = pending<string>();
      const first = cache.get('a', () => before.promise);
      const joined = cache.get('a', () => Promise.resolve('unused'));
      cache.invalidate('a');
      const after = pending<string>();
      const next = cache.get('a', () => after.promise);
      before.resolve('before the change');
      after.resolve('after the change');
      expect(await first).toBe('before the change');
      expect(await joined).toBe('before the change');
      expect(await next).toBe('after the change');
      expect(await cache.get('a', () => Promise.resolve('reloaded'))).toBe(
        'after the change',
      );
    });

    it('invalidateAll: the same for every key, and loaded values are no longer fresh', async () => {
      const { cache } = cacheOf({ ttlMs: 60_000 });
      await cache.get('a', () => Promise.resolve('a1'));
      const before = pending<string>();
      const loadingB = cache.get('b', () => before.promise);
      cache.invalidateAll();
      before.resolve('b before the change');
      expect(await loadingB).toBe('b before the change');
      expect(await cache.get('a', () => Promise.resolve('a2'))).toBe('a2');
      expect(await cache.get('b', () => Promise.resolve('b2'))).toBe('b2');
    });
  });

  describe('stale-if-error', () => {
    it('serves a value past its TTL while loads fail, within the window only', async () => {
      const { cache, clock, stale } = cacheOf(staleFor(5_000));
      await cache.get('a', () => Promise.resolve('v1'));
      clock.now += 5_999;
      await expect(cache.get('a', down)).resolves.toBe('v1');
      expect(stale).toEqual([['a', 5_999]]);
      clock.now += 1;
      await expect(cache.get('a', down)).rejects.toBeInstanceOf(StorageDown);
    });

    it('serves stale only for the failures it is told to', async () => {
      const { cache, clock } = cacheOf(staleFor(5_000));
      await cache.get('a', () => Promise.resolve('v1'));
      clock.now += 1_000;
      await expect(
        cache.get('a', () => Promise.reject(new TypeError('a bug'))),
      ).rejects.toBeInstanceOf(TypeError);
    });

    it('keeps values for the window even with a TTL of 0', async () => {
      const { cache } = cacheOf({ ttlMs: 0, ...staleFor(5_000) });
      await cache.get('a', () => Promise.resolve('v1'));
      await expect(cache.get('a', down)).resolves.toBe('v1');
    });

    it('keeps an invalidated-all value as a fallback, never an invalidated one', async () => {
      const { cache } = cacheOf(staleFor(5_000));
      await cache.get('a', () => Promise.resolve('v1'));
      cache.invalidateAll();
      await expect(cache.get('a', down)).resolves.toBe('v1');
      cache.invalidate('a');
      await expect(cache.get('a', down)).rejects.toBeInstanceOf(StorageDown);
    });

    it('keeps the value a dropped reload was refreshing as the fallback', async () => {
      const { cache, clock } = cacheOf(staleFor(5_000));
      await cache.get('a', () => Promise.resolve('v1'));
      clock.now += 2_000;
      const failing = pending<string>();
      const reload = cache.get('a', () => failing.promise);
      cache.invalidateAll();
      failing.reject(new StorageDown('down'));
      await expect(reload).resolves.toBe('v1');
      await expect(cache.get('a', down)).resolves.toBe('v1');
    });

    it('without a window, a failed load past the TTL is an error', async () => {
      const { cache, clock } = cacheOf();
      await cache.get('a', () => Promise.resolve('v1'));
      clock.now += 1_000;
      await expect(cache.get('a', down)).rejects.toBeInstanceOf(StorageDown);
    });
  });

  describe('bounded by entry count', () => {
    it('drops the least recently used entry to make room, and counts it', async () => {
      const { cache, evictions } = cacheOf({ max: 2 });
      const load = vi.fn((value: string) => Promise.resolve(value));
      await cache.get('a', () => load('a'));
      await cache.get('b', () => load('b'));
      await cache.get('a', () => load('a')); // a is now the most recently used
      await cache.get('c', () => load('c'));
      expect(evictions()).toBe(1);
      await cache.get('a', () => load('a'));
      expect(load).toHaveBeenCalledTimes(3);
      await cache.get('b', () => load('b'));
      expect(load).toHaveBeenCalledTimes(4);
      expect(evictions()).toBe(2);
    });

    it('holds loads under way apart: a flood of slow look-ups evicts no loaded value', async () => {
      const { cache, evictions } = cacheOf({ max: 2 });
      await cache.get('a', () => Promise.resolve('a'));
      const slow = Array.from({ length: 10 }, () => pending<string>());
      const looking = slow.map((load, i) =>
        cache.get(`flood-${i}`, () => load.promise),
      );
      expect(evictions()).toBe(0);
      const again = vi.fn(() => Promise.resolve('a2'));
      expect(await cache.get('a', again)).toBe('a');
      expect(again).not.toHaveBeenCalled();
      slow.forEach((load, i) => load.resolve(`v${i}`));
      expect(await Promise.all(looking)).toHaveLength(10);
    });

    it('never lets a value `keep` refuses take the place of a kept one', async () => {
      const { cache, evictions } = cacheOf({
        max: 2,
        keep: (value) => value !== null,
      });
      await cache.get('alice', () => Promise.resolve('alice'));
      await cache.get('bob', () => Promise.resolve('bob'));
      for (let i = 0; i < 1_000; i++) {
        await cache.get(`unknown-${i}`, () => Promise.resolve(null));
      }
      expect(evictions()).toBe(0);
      const reload = vi.fn(() => Promise.resolve('reloaded'));
      expect(await cache.get('alice', reload)).toBe('alice');
      expect(await cache.get('bob', reload)).toBe('bob');
      expect(reload).not.toHaveBeenCalled();
    });
  });
});
