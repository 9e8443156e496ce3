import { Logger } from '@nestjs/common';
import { defineChannelCheck } from '../plugin/channel-check-definition';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import { ChannelChecks } from './channel-checks';

const CALLER = { id: 'alice', app: 'default' };

/** A loaded check answering `answer` (called fresh each time, so getters run when asked). */
function checksAnswering(answer: () => unknown): ChannelChecks {
  const definition = defineChannelCheck({
    name: 'odd',
    check: () => answer() as never,
  });
  return new ChannelChecks(new Map([['odd', { definition, prepared: {} }]]));
}

describe('ChannelChecks.ask', () => {
  // The failures are logged: keep them out of the test's output.
  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['true', true, { allowed: true }],
    ['false', false, { allowed: false }],
    ['{ allow: false }', { allow: false }, { allowed: false }],
    [
      '{ allow: true, userInfo }',
      { allow: true, userInfo: { name: 'Alice' } },
      { allowed: true, userInfo: { name: 'Alice' } },
    ],
  ])('reads %s', async (_case, answer, verdict) => {
    await expect(
      checksAnswering(() => answer).ask('odd', CALLER, 'private-x', {}),
    ).resolves.toEqual(verdict);
  });

  const circular: Record<string, unknown> = { name: 'Circe' };
  circular.self = circular;

  // Each is the check's bug: unavailable for that channel (503), never a 500, never a signature.
  it.each([
    ['a number', () => 1],
    ['a string', () => 'true'],
    ['undefined', () => undefined],
    ['a userInfo that is text', () => ({ allow: true, userInfo: 'x' })],
    ['a userInfo that is a list', () => ({ allow: true, userInfo: [1] })],
    ['a userInfo with a cycle', () => ({ allow: true, userInfo: circular })],
    ['a userInfo with a BigInt', () => ({ allow: true, userInfo: { n: 1n } })],
    [
      'an answer whose allow getter throws',
      () => ({
        get allow(): boolean {
          throw new Error('getter');
        },
      }),
    ],
  ])('answers unavailable for %s', async (_case, answer) => {
    await expect(
      checksAnswering(answer).ask('odd', CALLER, 'presence-x', {}),
    ).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });

  it('signs a copy of userInfo made when the check answered', async () => {
    const userInfo = { name: 'Alice' };
    const verdict = await checksAnswering(() => ({
      allow: true,
      userInfo,
    })).ask('odd', CALLER, 'presence-x', {});
    userInfo.name = 'Mallory';
    expect(verdict).toEqual({ allowed: true, userInfo: { name: 'Alice' } });
  });
});
