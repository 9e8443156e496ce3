import { DirectoryUnavailableError } from './directory.errors';
import { UserCache } from './user-cache';
import type { PusherUser } from './user-rules';

const ALICE: PusherUser = { id: 'alice', user_info: { name: 'Alice' } };
const down = () =>
  Promise.reject(new DirectoryUnavailableError(new Error('down')));

/** A cache on a clock the test moves by hand. */
function cacheAt(ttlMs: number, staleIfErrorMs = 0) {
  const clock = { now: 1_000_000 };
  const stale: string[] = [];
  const cache = new UserCache({
    ttlMs,
    staleIfErrorMs,
    now: () => clock.now,
    onStale: (id) => stale.push(id),
  });
  return { cache, clock, stale };
}

describe('UserCache', () => {
  it('reuses a loaded user within the TTL and reloads after it', async () => {
    const { cache, clock } = cacheAt(1_000);
    const load = jest.fn(() => Promise.resolve(ALICE));
    await cache.getOrLoad('alice', load);
    clock.now += 999;
    await cache.getOrLoad('alice', load);
    expect(load).toHaveBeenCalledTimes(1);
    clock.now += 1;
    await cache.getOrLoad('alice', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one storage read among concurrent misses', async () => {
    const { cache } = cacheAt(1_000);
    const load = jest.fn(() => Promise.resolve(ALICE));
    await Promise.all([1, 2, 3].map(() => cache.getOrLoad('alice', load)));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets an invalidated user, and does not cache a read that began before the change', async () => {
    const { cache } = cacheAt(60_000);
    let finish!: (user: PusherUser) => void;
    const slow = cache.getOrLoad(
      'alice',
      () => new Promise((resolve) => (finish = resolve)),
    );
    cache.invalidate('alice');
    finish({ id: 'alice', user_info: { name: 'before the change' } });
    await slow;
    const fresh = await cache.getOrLoad('alice', () => Promise.resolve(ALICE));
    expect(fresh).toBe(ALICE);
  });

  it('reloads everyone after a reset', async () => {
    const { cache } = cacheAt(60_000);
    const load = jest.fn(() => Promise.resolve(ALICE));
    await cache.getOrLoad('alice', load);
    cache.reset();
    await cache.getOrLoad('alice', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('serves a user past its TTL while storage is down, within the stale window only', async () => {
    const { cache, clock, stale } = cacheAt(1_000, 5_000);
    await cache.getOrLoad('alice', () => Promise.resolve(ALICE));
    clock.now += 5_999;
    await expect(cache.getOrLoad('alice', down)).resolves.toBe(ALICE);
    expect(stale).toEqual(['alice']);
    clock.now += 1;
    await expect(cache.getOrLoad('alice', down)).rejects.toBeInstanceOf(
      DirectoryUnavailableError,
    );
  });

  it('keeps a reset user as a stale fallback, but never an invalidated one', async () => {
    const { cache } = cacheAt(1_000, 5_000);
    await cache.getOrLoad('alice', () => Promise.resolve(ALICE));
    cache.reset();
    await expect(cache.getOrLoad('alice', down)).resolves.toBe(ALICE);
    cache.invalidate('alice');
    await expect(cache.getOrLoad('alice', down)).rejects.toBeInstanceOf(
      DirectoryUnavailableError,
    );
  });

  it('without a stale window, a storage failure past the TTL is an error', async () => {
    const { cache, clock } = cacheAt(1_000);
    await cache.getOrLoad('alice', () => Promise.resolve(ALICE));
    clock.now += 1_000;
    await expect(cache.getOrLoad('alice', down)).rejects.toBeInstanceOf(
      DirectoryUnavailableError,
    );
  });

  it('does not cache unknown users', async () => {
    const { cache } = cacheAt(60_000);
    const load = jest.fn(() => Promise.resolve(null));
    await cache.getOrLoad('nobody', load);
    await cache.getOrLoad('nobody', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
