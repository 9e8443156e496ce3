import type { ChannelAccess } from './channel-access';
import { ChannelAccessCache } from './channel-access.cache';

const access = (group: string): ChannelAccess => ({
  groups: [group],
  grants: [],
});

describe('ChannelAccessCache', () => {
  it('reuses a loaded entry until it is invalidated or cleared', async () => {
    const cache = new ChannelAccessCache(60_000);
    const load = jest.fn().mockResolvedValue(access('red'));
    await cache.getOrLoad('alice', load);
    await cache.getOrLoad('alice', load);
    expect(load).toHaveBeenCalledTimes(1);

    cache.invalidate('alice');
    await cache.getOrLoad('alice', load);
    expect(load).toHaveBeenCalledTimes(2);

    await cache.getOrLoad('bob', load);
    cache.clear();
    await cache.getOrLoad('alice', load);
    await cache.getOrLoad('bob', load);
    expect(load).toHaveBeenCalledTimes(5);
  });

  it('answers, but never keeps, a read that was under way when the user was invalidated', async () => {
    const cache = new ChannelAccessCache(60_000);
    let finish!: (value: ChannelAccess) => void;
    const slow = cache.getOrLoad(
      'alice',
      () => new Promise<ChannelAccess>((resolve) => (finish = resolve)),
    );
    cache.invalidate('alice');
    finish(access('before-the-change'));
    expect(await slow).toEqual(access('before-the-change'));

    const fresh = jest.fn().mockResolvedValue(access('after-the-change'));
    expect(await cache.getOrLoad('alice', fresh)).toEqual(
      access('after-the-change'),
    );
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('drops reads under way on clear too', async () => {
    const cache = new ChannelAccessCache(60_000);
    let finish!: (value: ChannelAccess) => void;
    const slow = cache.getOrLoad(
      'alice',
      () => new Promise<ChannelAccess>((resolve) => (finish = resolve)),
    );
    cache.clear();
    finish(access('old'));
    await slow;
    const fresh = jest.fn().mockResolvedValue(access('new'));
    expect(await cache.getOrLoad('alice', fresh)).toEqual(access('new'));
  });
});
