import { MemoryRateLimitStore } from './memory.rate-limit.store';

const MINUTE = 60_000;

function store(maxKeys = 1_000) {
  let now = 1_000_000;
  let evictions = 0;
  const subject = new MemoryRateLimitStore({
    maxKeys,
    onEvict: () => evictions++,
    now: () => now,
  });
  return {
    subject,
    advance: (ms: number) => (now += ms),
    evictions: () => evictions,
  };
}

describe('MemoryRateLimitStore', () => {
  let stores: MemoryRateLimitStore[] = [];
  const make = (maxKeys?: number) => {
    const made = store(maxKeys);
    stores.push(made.subject);
    return made;
  };
  afterEach(() => {
    stores.forEach((subject) => subject.onApplicationShutdown());
    stores = [];
  });

  it('counts hits in a fixed window and blocks past the limit until it ends', async () => {
    const { subject, advance } = make();
    expect((await subject.increment('ip:a', MINUTE, 2)).isBlocked).toBe(false);
    advance(20_000);
    expect((await subject.increment('ip:a', MINUTE, 2)).isBlocked).toBe(false);
    const blocked = await subject.increment('ip:a', MINUTE, 2);
    expect(blocked).toEqual({
      totalHits: 3,
      timeToExpire: 40,
      isBlocked: true,
      timeToBlockExpire: 40,
    });
    advance(40_000);
    expect(await subject.increment('ip:a', MINUTE, 2)).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('keeps each key apart', async () => {
    const { subject } = make();
    await subject.increment('ip:a', MINUTE, 1);
    expect((await subject.increment('ip:b', MINUTE, 1)).totalHits).toBe(1);
  });

  it('holds at most maxKeys windows, dropping the least recently used and counting it', async () => {
    const { subject, evictions } = make(100);
    for (let i = 0; i < 100; i++) await subject.increment(`u${i}`, MINUTE, 5);
    await subject.increment('u0', MINUTE, 5); // u0 is now the most recently used
    expect(evictions()).toBe(0);
    for (let i = 100; i < 110; i++) await subject.increment(`u${i}`, MINUTE, 5);
    expect(subject.size).toBe(100);
    expect(evictions()).toBe(10);
    // u1 was dropped: its budget starts again; u0 kept its count.
    expect((await subject.increment('u1', MINUTE, 5)).totalHits).toBe(1);
    expect((await subject.increment('u0', MINUTE, 5)).totalHits).toBe(3);
  });

  it('does not count windows that had already ended as evictions', async () => {
    const { subject, advance, evictions } = make(100);
    for (let i = 0; i < 100; i++) await subject.increment(`old${i}`, MINUTE, 5);
    advance(MINUTE);
    for (let i = 0; i < 100; i++) await subject.increment(`new${i}`, MINUTE, 5);
    expect(subject.size).toBe(100);
    expect(evictions()).toBe(0);
  });

  it('sweeps out windows that ended', async () => {
    const { subject, advance } = make();
    await subject.increment('a', MINUTE, 5);
    advance(30_000);
    await subject.increment('b', MINUTE, 5);
    advance(30_000);
    subject.removeEnded();
    expect(subject.size).toBe(1);
    advance(30_000);
    subject.removeEnded();
    expect(subject.size).toBe(0);
  });

  it('sweeps a slice of windows per turn of the event loop, then the rest', async () => {
    const { subject, advance } = make(5_000);
    for (let i = 0; i < 2_500; i++)
      await subject.increment(`old${i}`, MINUTE, 5);
    advance(30_000);
    await subject.increment('live', MINUTE, 5);
    advance(30_000);
    subject.removeEnded();
    expect(subject.size).toBe(1_501);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(subject.size).toBe(1);
    expect((await subject.increment('live', MINUTE, 5)).totalHits).toBe(2);
  });
});
