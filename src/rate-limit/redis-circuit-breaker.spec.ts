import { RedisCircuitBreaker } from './redis-circuit-breaker';

function breaker(cooldownMs = 1_000) {
  let now = 0;
  const events: string[] = [];
  const subject = new RedisCircuitBreaker({
    cooldownMs,
    now: () => now,
    onOpen: (reason) => events.push(`open: ${reason}`),
    onClose: () => events.push('close'),
  });
  return { subject, events, advance: (ms: number) => (now += ms) };
}

describe('RedisCircuitBreaker', () => {
  it('lets commands through while closed', () => {
    const { subject, events } = breaker();
    expect(subject.allowsCommands).toBe(true);
    subject.succeeded();
    expect(subject.state).toBe('closed');
    expect(events).toEqual([]);
  });

  it('opens on a failure and asks nothing until the cooldown has passed', () => {
    const { subject, events, advance } = breaker(1_000);
    subject.failed('Command timed out');
    expect(subject.allowsCommands).toBe(false);
    expect(subject.takeProbe()).toBe(false);
    advance(999);
    expect(subject.takeProbe()).toBe(false);
    expect(events).toEqual(['open: Command timed out']);
  });

  it('lets exactly one probe out per cooldown', () => {
    const { subject, advance } = breaker(1_000);
    subject.failed('down');
    advance(1_000);
    expect(subject.takeProbe()).toBe(true);
    expect(subject.state).toBe('probing');
    expect(subject.allowsCommands).toBe(false);
    expect(subject.takeProbe()).toBe(false);
  });

  it('closes when the probe succeeds, and says so once', () => {
    const { subject, events, advance } = breaker(1_000);
    subject.failed('down');
    advance(1_000);
    subject.takeProbe();
    subject.succeeded();
    subject.succeeded();
    expect(subject.allowsCommands).toBe(true);
    expect(events).toEqual(['open: down', 'close']);
  });

  it('reopens for a full cooldown when the probe fails, without a second "open" for the same outage', () => {
    const { subject, events, advance } = breaker(1_000);
    subject.failed('down');
    advance(5_000);
    subject.takeProbe();
    subject.failed('still down');
    advance(999);
    expect(subject.takeProbe()).toBe(false);
    advance(1);
    expect(subject.takeProbe()).toBe(true);
    expect(events).toEqual(['open: down']);
  });

  it('reports a new outage after a recovery', () => {
    const { subject, events } = breaker();
    subject.failed('first');
    subject.succeeded();
    subject.failed('second');
    expect(events).toEqual(['open: first', 'close', 'open: second']);
  });
});
