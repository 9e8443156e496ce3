import { outcomesOf } from './batch-answer.js';

const CHANNELS = ['private-a', 'presence-b'];

/** The message of each channel's error, or its auth when it was signed. */
function read(status: number, body: unknown): string[] {
  return outcomesOf(
    { status, body: typeof body === 'string' ? body : JSON.stringify(body) },
    CHANNELS,
  ).map((outcome) =>
    outcome.error ? outcome.error.message : outcome.data.auth,
  );
}

describe('reading a batch answer', () => {
  it('takes only auth, channel_data and shared_secret from an entry, and only strings', () => {
    const [outcome] = outcomesOf(
      {
        status: 200,
        body: JSON.stringify({
          'private-a': {
            status: 200,
            data: {
              auth: 'k:s',
              channel_data: 7,
              shared_secret: 'x',
              extra: 1,
            },
          },
        }),
      },
      ['private-a'],
    );

    expect(outcome).toEqual({ data: { auth: 'k:s', shared_secret: 'x' } });
  });

  it('fails only the channel whose entry is missing', () => {
    expect(
      read(200, { 'private-a': { status: 200, data: { auth: 'k:s' } } }),
    ).toEqual([
      'k:s',
      'Channel authorization for presence-b failed: the answer has no entry for this channel',
    ]);
  });

  it.each([
    [{ status: 200 }, "the answer's entry for this channel has no auth"],
    [
      { status: 200, data: { auth: 5 } },
      "the answer's entry for this channel has no auth",
    ],
    [
      { data: { auth: 'k:s' } },
      "the answer's entry for this channel has no status",
    ],
    ['signed', 'the answer has no entry for this channel'],
  ])('fails a malformed entry %j', (entry, reason) => {
    expect(read(200, { 'private-a': entry, 'presence-b': entry })).toEqual([
      `Channel authorization for private-a failed: ${reason}`,
      `Channel authorization for presence-b failed: ${reason}`,
    ]);
  });

  it.each([
    ['not JSON', '{"private-a":', 'the answer is not JSON'],
    [
      'a list',
      [{ status: 200 }],
      'the answer is not an object keyed by channel name',
    ],
    ['null', 'null', 'the answer is not an object keyed by channel name'],
  ])('fails every channel when the answer is %s', (_case, body, reason) => {
    expect(read(200, body)).toEqual([
      `Channel authorization for private-a failed: ${reason}`,
      `Channel authorization for presence-b failed: ${reason}`,
    ]);
  });

  it('never takes an inherited property for an entry', () => {
    const [outcome] = outcomesOf({ status: 200, body: '{}' }, ['constructor']);

    expect(outcome.error?.message).toBe(
      'Channel authorization for constructor failed: the answer has no entry for this channel',
    );
  });

  it('shortens a long server message', () => {
    const [message] = read(400, { message: 'x'.repeat(500) });

    expect(message).toBe(
      `Channel authorization for private-a failed: the batch request was answered with status 400 (${'x'.repeat(200)}…)`,
    );
  });
});
