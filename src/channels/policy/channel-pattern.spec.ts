import {
  captureChannel,
  ChannelPattern,
  isChannelPattern,
  matchesChannel,
  parseChannelPattern,
} from './channel-pattern';

const pattern = (text: string): ChannelPattern => {
  const parsed = parseChannelPattern(text);
  if (!isChannelPattern(parsed)) throw new Error(parsed.problem);
  return parsed;
};
const alice = { id: 'alice', groups: ['team-a', 'admins'] };

describe('channel patterns', () => {
  it.each([
    ['presence-lobby', 'presence-lobby', true],
    ['presence-lobby', 'presence-lobby2', false],
    ['presence-room-*', 'presence-room-42', true],
    ['presence-room-*', 'presence-room-', true],
    ['presence-room-*', 'presence-roo', false],
    ['private-*-chat', 'private-a-b-chat', true],
    ['private-*-chat', 'private-a-b-chat-x', false],
    ['private-user-{id}', 'private-user-alice', true],
    ['private-user-{id}', 'private-user-alicex', false],
    ['private-user-{id}', 'private-user-bob', false],
    ['private-dm-{id}-*', 'private-dm-alice-bob', true],
    ['private-dm-*-{id}', 'private-dm-bob-alice', true],
    ['private-dm-*-{id}', 'private-dm-alice-bob', false],
    ['private-team-{group}', 'private-team-team-a', true],
    ['private-team-{group}', 'private-team-admins', true],
    ['private-team-{group}', 'private-team-team-b', false],
    ['private-team-{group}-{id}', 'private-team-team-a-alice', true],
    ['private-*', 'private-encrypted-anything', true],
  ])('%s against %s: %s', (text, name, expected) => {
    expect(matchesChannel(pattern(text), name, alice)).toBe(expected);
  });

  it('reads * greedily across separators, as docs/channel-policy.md warns', () => {
    expect(
      matchesChannel(pattern('private-dm-*-{id}'), 'private-dm-alice-x-bob', {
        id: 'bob',
        groups: [],
      }),
    ).toBe(true);
  });

  it('matches {group} against nothing when the caller has no groups', () => {
    expect(
      matchesChannel(pattern('private-team-{group}'), 'private-team-', {
        id: 'alice',
        groups: [],
      }),
    ).toBe(false);
  });

  it.each([
    ['private-*-*-x', 'private-a-b-c-x', true],
    ['private-**x', 'private-x', true],
    ['private-*{id}*', 'private-zzalicezz', true],
    ['private-*{id}*', 'private-zzalic', false],
    ['private-{group}{group}', 'private-adminsteam-a', true],
    ['private-{group}-*-{group}', 'private-team-a-x-team-a', true],
    ['private-{group}-*-{group}', 'private-team-a-x-team-b', false],
  ])(
    '%s against %s: %s (stars and placeholders side by side)',
    (text, name, expected) => {
      expect(matchesChannel(pattern(text), name, alice)).toBe(expected);
    },
  );

  /**
   * A name-like object that counts the characters the matcher compares or copies: the work of a
   * match, measured without a clock. Linear matching does about twice the work for a name twice
   * as long; backtracking over `*` does four times (or worse).
   */
  function workToMatch(text: string, name: string, groups: string[]): number {
    let work = 0;
    const counted = {
      // Each read is a step over the name (a loop bound, a position checked).
      get length() {
        work += 1;
        return name.length;
      },
      startsWith(prefix: string, position = 0) {
        work += prefix.length + 1;
        return name.startsWith(prefix, position);
      },
      slice(start: number, end: number) {
        work += end - start + 1;
        return name.slice(start, end);
      },
    } as unknown as string;
    matchesChannel(pattern(text), counted, { id: 'alice', groups });
    return work;
  }

  it.each([
    ['stars', `private-${'*a'.repeat(7)}*b`],
    ['stars around {id}', 'private-*{id}*{id}*{id}*{id}x'],
    ['stars around {group}', 'private-*{group}*{group}*{group}*{group}x'],
  ])('does linear work on the worst names for %s', (_, text) => {
    const groups = ['a', 'aa', 'aaa', 'alice'];
    const name = (length: number) => `private-${'a'.repeat(length)}`;
    const short = workToMatch(text, name(90), groups);
    const long = workToMatch(text, name(180), groups);
    expect(short).toBeGreaterThan(0);
    expect(long / short).toBeLessThan(2.5);
  });

  it('matches the longest names against the longest patterns with a bounded amount of work', () => {
    const text = `private-${'*a'.repeat(8)}${'b'.repeat(175)}`;
    const work = workToMatch(text, `private-${'a'.repeat(192)}`, []);
    // Pattern length × name length is 200 × 200: far below what backtracking costs.
    expect(work).toBeLessThan(200 * 200);
  });

  it.each([
    ['', /non-empty/],
    ['room-*', /must start with private-/],
    ['*', /must start with private-/],
    ['private-{name}', /unknown placeholder \{name\}/],
    ['private-{}', /unknown placeholder \{\}/],
    ['private-a b', /may only contain/],
    ['private-{id', /may only contain/],
    ['private-é', /may only contain/],
    [`private-${'x'.repeat(200)}`, /at most 200/],
    [`private-${'*'.repeat(9)}`, /at most 8 placeholders/],
    ['private-{id}-{group}-{id}-{group}-{id}-{group}-*-*-*', /at most 8/],
  ])('refuses %j', (text, problem) => {
    const parsed = parseChannelPattern(text);
    expect(isChannelPattern(parsed)).toBe(false);
    expect((parsed as { problem: string }).problem).toMatch(problem);
  });
});

describe('named captures (rules that ask a relation)', () => {
  const capturing = (text: string): ChannelPattern => {
    const parsed = parseChannelPattern(text, { captures: true });
    if (!isChannelPattern(parsed)) throw new Error(parsed.problem);
    return parsed;
  };

  it.each([
    ['presence-doc-{doc}', 'presence-doc-42', { doc: '42' }],
    ['private-order-{order}-*', 'private-order-12-x-y', { order: '12' }],
    ['private-*-{doc}', 'private-a-b-c', { doc: 'c' }],
    ['private-{a}-{b}', 'private-x-y-z', { a: 'x', b: 'y-z' }],
    ['private-{id}-{doc}', 'private-alice-7', { doc: '7' }],
    ['private-{group}-{doc}', 'private-team-a-9', { doc: '9' }],
  ])('%s captures %o from %s', (text, name, captures) => {
    expect(captureChannel(capturing(text), name, alice)).toEqual(captures);
    expect(matchesChannel(capturing(text), name, alice)).toBe(true);
  });

  it.each([
    ['presence-doc-{doc}', 'presence-doc-'],
    ['private-{id}-{doc}', 'private-bob-7'],
    ['private-{a}-{b}', 'private-x'],
  ])(
    '%s captures nothing from %s (no match; a capture is never empty)',
    (text, name) => {
      expect(captureChannel(capturing(text), name, alice)).toBeUndefined();
      expect(matchesChannel(capturing(text), name, alice)).toBe(false);
    },
  );

  it.each([
    [
      'private-{doc}',
      {},
      /named captures like \{doc\} only in rules that ask a relation/,
    ],
    ['private-{Doc}', { captures: true }, /unknown placeholder \{Doc\}/],
    ['private-{doc}-{doc}', { captures: true }, /captures \{doc\} twice/],
  ])('refuses %s (%o)', (text, options, problem) => {
    const parsed = parseChannelPattern(text, options);
    expect(isChannelPattern(parsed)).toBe(false);
    expect((parsed as { problem: string }).problem).toMatch(problem);
  });
});
