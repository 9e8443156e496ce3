import { checkChannelName } from './channel-name';

describe('checkChannelName', () => {
  it.each([
    ['private-chat', 'private'],
    ['presence-room-1', 'presence'],
    ['private-encrypted-inbox', 'private-encrypted'],
    ['private-A-z_0-9=@,.;', 'private'],
  ])('accepts %s as a %s channel', (name, kind) => {
    expect(checkChannelName(name)).toEqual({ channel: { name, kind } });
  });

  it.each([
    [undefined, /must be a string/],
    [42, /must be a string/],
    [['private-a', 'private-b'], /must be one string/],
    ['', /must not be empty/],
    [`private-${'x'.repeat(193)}`, /at most 200 characters/],
    ['#server-to-user-alice', /may only contain/],
    ['private-a b', /may only contain/],
    ['private-ünïcode', /may only contain/],
    ['private-\u2028', /may only contain/],
    ['public-news', /must start with private-/],
    ['news', /must start with private-/],
    ['private-', /must start with private-/],
    ['private-encrypted-', /must start with private-/],
    ['presence-', /must start with private-/],
  ])('refuses %j', (value, problem) => {
    const checked = checkChannelName(value);
    expect(checked.channel).toBeUndefined();
    expect(checked.problem).toMatch(/^channel_name /);
    expect(checked.problem).toMatch(problem);
  });

  it('accepts exactly 200 characters', () => {
    const name = `private-${'x'.repeat(192)}`;
    expect(checkChannelName(name).channel?.name).toBe(name);
  });
});
