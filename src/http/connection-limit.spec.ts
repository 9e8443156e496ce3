import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { limitConnections } from './connection-limit';

describe('limitConnections', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function limited() {
    const server = new EventEmitter() as EventEmitter & {
      maxConnections?: number;
    };
    const warn = vi.fn();
    let dropped = 0;
    limitConnections(server as unknown as Server, {
      maxConnections: 3,
      onDrop: () => (dropped += 1),
      logger: { warn },
      logIntervalMs: 1_000,
    });
    return { server, warn, dropped: () => dropped };
  }

  it("sets Node's own limit, which closes each connection past it", () => {
    expect(limited().server.maxConnections).toBe(3);
  });

  it('counts every refused connection but logs a flood as one line, then one summary per interval', () => {
    const { server, warn, dropped } = limited();
    for (let i = 0; i < 10_000; i++) server.emit('drop', {});
    expect(dropped()).toBe(10_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('HTTP_MAX_CONNECTIONS (3)');

    vi.advanceTimersByTime(1_000);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toMatch(/^9999 more connections refused/);

    // A quiet interval closes the window: the next refusal is logged at once again.
    vi.advanceTimersByTime(1_000);
    expect(warn).toHaveBeenCalledTimes(2);
    server.emit('drop', {});
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[2][0]).toMatch(/^connection refused/);
  });
});
