import {
  CHANNEL_BATCH_MAX,
  parseChannelAuthRequest,
} from './channel-auth-request';

const post = (source: unknown) =>
  parseChannelAuthRequest(source, { jsonp: false });

describe('parseChannelAuthRequest', () => {
  it('reads a single channel', () => {
    expect(
      post({ socket_id: '1.2', channel_name: 'presence-x', other: 1 }),
    ).toEqual({
      request: {
        socketId: '1.2',
        batch: false,
        channel: { name: 'presence-x', kind: 'presence' },
      },
    });
  });

  it('reads a batch in index order, keeping malformed entries apart', () => {
    expect(
      post({
        socket_id: '1.2',
        'channel_name[10]': 'private-b',
        'channel_name[2]': 'private-a',
        'channel_name[3]': 'nope',
      }),
    ).toEqual({
      request: {
        socketId: '1.2',
        batch: true,
        entries: [
          {
            key: 'channel_name[2]',
            channel: { name: 'private-a', kind: 'private' },
          },
          {
            key: 'channel_name[3]',
            problem: expect.stringMatching(/^channel_name must start with/),
          },
          {
            key: 'channel_name[10]',
            channel: { name: 'private-b', kind: 'private' },
          },
        ],
      },
    });
  });

  it(`caps a batch at ${CHANNEL_BATCH_MAX} channels`, () => {
    const fields: Record<string, string> = { socket_id: '1.2' };
    for (let i = 0; i <= CHANNEL_BATCH_MAX; i++) {
      fields[`channel_name[${i}]`] = `private-${i}`;
    }
    expect(post(fields).problems).toEqual([
      `channel_name: a batch may hold at most ${CHANNEL_BATCH_MAX} channels`,
    ]);
  });

  it.each([null, 'text', ['socket_id'], 42])(
    'treats a %j body as missing both fields',
    (source) => {
      expect(post(source).problems).toEqual([
        'socket_id must look like 1234.5678',
        'channel_name must be a string',
      ]);
    },
  );

  it('requires a valid callback for JSONP only', () => {
    const fields = { socket_id: '1.2', channel_name: 'private-a' };
    expect(post(fields).request).toBeDefined();
    expect(parseChannelAuthRequest(fields, { jsonp: true }).problems).toEqual([
      'callback must be a string',
    ]);
    expect(
      parseChannelAuthRequest(
        { ...fields, callback: "Pusher.auth_callbacks['1']" },
        { jsonp: true },
      ).request?.callback,
    ).toBe("Pusher.auth_callbacks['1']");
  });
});
