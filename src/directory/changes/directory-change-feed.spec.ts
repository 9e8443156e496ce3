import type { DirectoryChange } from './directory-change';
import {
  DirectoryChangeFeed,
  RESET_INTERVAL_MS,
} from './directory-change-feed';

/** A feed the test drives by hand, as a listener or a change log would. */
class HandFeed extends DirectoryChangeFeed {
  start = () => Promise.resolve();
  close(): Promise<void> {
    this.cancelPendingResets();
    return Promise.resolve();
  }
  send(change: DirectoryChange): void {
    this.emitNotice(change);
  }
  /** What the feed knows itself, e.g. that it reconnected and may have missed changes. */
  know(change: DirectoryChange): void {
    this.emit(change);
  }
}

describe('DirectoryChangeFeed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const feedHeard = () => {
    const feed = new HandFeed();
    const heard: DirectoryChange[] = [];
    feed.subscribe((change) => heard.push(change));
    return { feed, heard };
  };

  it('passes each change of one user on at once, however many', () => {
    const { feed, heard } = feedHeard();
    for (let i = 0; i < 100; i++) feed.send({ kind: 'changed', id: `u${i}` });
    feed.send({ kind: 'removed', id: 'alice' });
    expect(heard).toHaveLength(101);
  });

  it.each(['reset', 'access-reset', 'revoked'] as const)(
    'merges a flood of %s notices into one now and one at the end of the interval',
    (kind) => {
      const { feed, heard } = feedHeard();
      for (let i = 0; i < 500; i++) feed.send({ kind });
      expect(heard).toEqual([{ kind }]);
      vi.advanceTimersByTime(RESET_INTERVAL_MS - 1);
      expect(heard).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(heard).toEqual([{ kind }, { kind }]);
      // The next one waits out the interval the merged reset began.
      feed.send({ kind });
      expect(heard).toHaveLength(2);
      vi.advanceTimersByTime(RESET_INTERVAL_MS);
      expect(heard).toHaveLength(3);
    },
  );

  it('throttles each kind of reset apart, and passes one on at once after a quiet interval', () => {
    const { feed, heard } = feedHeard();
    feed.send({ kind: 'reset' });
    feed.send({ kind: 'access-reset' });
    expect(heard).toEqual([{ kind: 'reset' }, { kind: 'access-reset' }]);
    vi.advanceTimersByTime(RESET_INTERVAL_MS);
    feed.send({ kind: 'reset' });
    expect(heard).toHaveLength(3);
  });

  it('passes on at once a reset the feed knows itself (a reconnect), however recent the last', () => {
    const { feed, heard } = feedHeard();
    feed.send({ kind: 'reset' });
    feed.know({ kind: 'reset' });
    feed.know({ kind: 'reset' });
    expect(heard).toHaveLength(3);
  });

  it('drops a merged reset still waiting when closed', async () => {
    const { feed, heard } = feedHeard();
    feed.send({ kind: 'reset' });
    feed.send({ kind: 'reset' });
    await feed.close();
    vi.advanceTimersByTime(RESET_INTERVAL_MS);
    expect(heard).toHaveLength(1);
  });
});
