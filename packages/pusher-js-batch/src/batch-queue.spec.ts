import { BatchQueue, SendBatch } from './batch-queue.js';
import type { ChannelAuthorizationCallback } from './pusher-js.types.js';

/** A send that signs every channel at once, recording each batch. */
function signingSend(batches: [string, readonly string[]][]): SendBatch {
  return (socketId, channelNames) => {
    batches.push([socketId, channelNames]);
    return Promise.resolve(
      channelNames.map((name) => ({ data: { auth: `k:${name}` } })),
    );
  };
}

describe('BatchQueue (with a clock of its own)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends when the window closes, not before, and does not extend it for later channels', async () => {
    const batches: [string, readonly string[]][] = [];
    const queue = new BatchQueue(20, 100, signingSend(batches));
    const callback = vi.fn();
    queue.add('1.1', 'private-a', callback);
    await vi.advanceTimersByTimeAsync(15);
    queue.add('1.1', 'private-b', callback);
    expect(batches).toEqual([]);

    await vi.advanceTimersByTimeAsync(5);

    expect(batches).toEqual([['1.1', ['private-a', 'private-b']]]);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('sends a full batch at once, without waiting for its window', async () => {
    const batches: [string, readonly string[]][] = [];
    const queue = new BatchQueue(1_000, 2, signingSend(batches));
    ['private-a', 'private-b', 'private-c'].forEach((name) =>
      queue.add('1.1', name, vi.fn()),
    );

    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['1.1', ['private-a', 'private-b']]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches).toEqual([
      ['1.1', ['private-a', 'private-b']],
      ['1.1', ['private-c']],
    ]);
  });

  it('answers every caller with an error if sending fails unexpectedly', async () => {
    const queue = new BatchQueue(0, 100, () =>
      Promise.reject(new Error('a bug')),
    );
    const callback = vi.fn<ChannelAuthorizationCallback>();
    queue.add('1.1', 'private-a', callback);

    await vi.advanceTimersByTimeAsync(0);

    expect(callback).toHaveBeenCalledWith(
      expect.objectContaining({
        message:
          'Channel authorization for private-a failed: the authorizer failed (Error: a bug)',
      }),
      null,
    );
  });

  it('answers the other callers when one callback throws, and rethrows its error on its own', async () => {
    const batches: [string, readonly string[]][] = [];
    const queue = new BatchQueue(0, 100, signingSend(batches));
    const other = vi.fn();
    queue.add('1.1', 'private-a', () => {
      throw new Error('a listener broke');
    });
    queue.add('1.1', 'private-a', other);
    queue.add('1.1', 'private-b', other);

    await vi.advanceTimersByTimeAsync(0);

    expect(other.mock.calls).toEqual([
      [null, { auth: 'k:private-a' }],
      [null, { auth: 'k:private-b' }],
    ]);
    expect(() => vi.runOnlyPendingTimers()).toThrow('a listener broke');
  });
});
