import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const FORM = 'application/x-www-form-urlencoded';
const token = (sub: string) =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub));

/** [case, form or JSON body, expected message]; none of these ever reaches identity or policy. */
const HOSTILE: [string, string | Record<string, unknown>, RegExp][] = [
  ['missing', 'socket_id=1.2', /^channel_name must be a string$/],
  ['empty', 'socket_id=1.2&channel_name=', /must not be empty/],
  [
    '201 characters long',
    `socket_id=1.2&channel_name=private-${'x'.repeat(193)}`,
    /at most 200 characters/,
  ],
  [
    '10 kB long',
    `socket_id=1.2&channel_name=private-${'x'.repeat(10_000)}`,
    /at most 200 characters/,
  ],
  [
    'a server-to-user channel',
    'socket_id=1.2&channel_name=%23server-to-user-alice',
    /may only contain/,
  ],
  ['a public channel', 'socket_id=1.2&channel_name=news', /must start with/],
  ['a bare prefix', 'socket_id=1.2&channel_name=private-', /must start with/],
  [
    'a cache- channel',
    'socket_id=1.2&channel_name=cache-news',
    /must start with/,
  ],
  ['spaces', 'socket_id=1.2&channel_name=private-a%20b', /may only contain/],
  [
    'unicode',
    `socket_id=1.2&channel_name=${encodeURIComponent('private-ünïcödé')}`,
    /may only contain/,
  ],
  [
    'a line separator',
    `socket_id=1.2&channel_name=${encodeURIComponent('private-a\u2028')}`,
    /may only contain/,
  ],
  [
    'markup',
    `socket_id=1.2&channel_name=${encodeURIComponent('private-<script>')}`,
    /may only contain/,
  ],
  ['a NUL byte', 'socket_id=1.2&channel_name=private-a%00', /may only contain/],
  [
    'repeated (an array)',
    'socket_id=1.2&channel_name=private-a&channel_name=private-b',
    /must be one string/,
  ],
  [
    'a JSON array',
    { socket_id: '1.2', channel_name: ['private-user-alice'] },
    /must be one string/,
  ],
  ['a JSON number', { socket_id: '1.2', channel_name: 42 }, /must be a string/],
  [
    'a JSON object',
    { socket_id: '1.2', channel_name: { $gt: '' } },
    /must be a string/,
  ],
  ['JSON null', { socket_id: '1.2', channel_name: null }, /must be a string/],
];

describe('channel names are validated before anything else', () => {
  let service: TestApp;

  const post = (
    body: string | Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        'content-type': typeof body === 'string' ? FORM : 'application/json',
        ...headers,
      },
      payload: body,
    });

  beforeAll(async () => {
    service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    await service.seed(
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(() => service?.close());

  describe.each([
    ['a valid token', () => ({ authorization: `Bearer ${token('alice')}` })],
    ['no token at all', () => ({})],
  ])('with %s', (_who, headers) => {
    it.each(HOSTILE)(
      'answers 400 naming channel_name when it is %s, without echoing it',
      async (_case, body, message) => {
        const response = await post(body, headers());
        expect(response.statusCode).toBe(400);
        const payload = response.json();
        expect(payload).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
        });
        expect(payload.message).toHaveLength(1);
        expect(payload.message[0]).toMatch(/^channel_name /);
        expect(payload.message[0]).toMatch(message);
        expect(response.body).not.toMatch(/private-(a|x|<|ü|user)/);
        expect(response.body).not.toContain('server-to-user');
        expect(response.body).not.toContain('auth"');
      },
    );
  });

  it('names both fields when socket_id is bad too', async () => {
    const response = await post('socket_id=1.2.3&channel_name=news');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual([
      'socket_id must look like 1234.5678',
      'channel_name must start with private-, private-encrypted- or presence- (public channels need no authorization)',
    ]);
  });

  it('answers 400 for a bad socket_id before identifying the caller', async () => {
    const response = await post('socket_id=abc&channel_name=private-user-x');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual([
      'socket_id must look like 1234.5678',
    ]);
  });

  it('answers 400 for a body that is neither form nor JSON', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: { 'content-type': 'text/plain' },
      payload: 'socket_id=1.2&channel_name=private-user-alice',
    });
    expect(response.statusCode).toBe(400);
  });

  it("refuses bob's request for alice's channel with 403 (a valid name, not his)", async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-user-alice',
      { authorization: `Bearer ${token('bob')}` },
    );
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('alice');
  });

  it('accepts a name of exactly 200 characters from every allowed character', async () => {
    const name = `private-user-alice`;
    const longest = `private-${'Az09_-=@,.;'.repeat(17)}${'x'.repeat(5)}`;
    expect(longest).toHaveLength(200);
    const allowed = await post(`socket_id=1.2&channel_name=${name}`, {
      authorization: `Bearer ${token('alice')}`,
    });
    expect(allowed.statusCode).toBe(200);
    // Valid, so it reaches the policy, which refuses it: 403, not 400.
    const refused = await post(
      `socket_id=1.2&channel_name=${encodeURIComponent(longest)}`,
      { authorization: `Bearer ${token('alice')}` },
    );
    expect(refused.statusCode).toBe(403);
  });
});
