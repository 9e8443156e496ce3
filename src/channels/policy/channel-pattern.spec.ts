import {
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

  it('stays fast on a pattern full of stars against a long non-matching name', () => {
    const stars = pattern(`private-${'*a'.repeat(40)}b`);
    expect(matchesChannel(stars, `private-${'a'.repeat(190)}`, alice)).toBe(
      false,
    );
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
  ])('refuses %j', (text, problem) => {
    const parsed = parseChannelPattern(text);
    expect(isChannelPattern(parsed)).toBe(false);
    expect((parsed as { problem: string }).problem).toMatch(problem);
  });
});
