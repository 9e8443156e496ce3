import {
  BatchAuthServer,
  signedEntry,
  startBatchAuthServer,
} from '../test/batch-auth-server';
import type { BatchAuthorizerOptions } from './batch-authorizer-options.js';
import { batchChannelAuthorization } from './batch-channel-authorization.js';
import { ChannelAuthorizationError } from './channel-authorization.error.js';
import type {
  ChannelAuthorizationData,
  ChannelAuthorizationHandler,
} from './pusher-js.types.js';

interface Answered {
  error: Error | null;
  data: ChannelAuthorizationData | null;
}

/** Asks as pusher-js does; resolves with the first answer and fails the test on a second one. */
function ask(
  handler: ChannelAuthorizationHandler,
  channelName: string,
  socketId = '1234.5678',
): Promise<Answered> {
  return new Promise((resolve, reject) => {
    let answers = 0;
    handler({ socketId, channelName }, (error, data) => {
      answers += 1;
      if (answers > 1) reject(new Error(`${channelName} was answered twice`));
      resolve({ error, data });
    });
  });
}

function errorOf(answered: Answered): ChannelAuthorizationError {
  expect(answered.data).toBeNull();
  expect(answered.error).toBeInstanceOf(ChannelAuthorizationError);
  return answered.error as ChannelAuthorizationError;
}

describe('batchChannelAuthorization against a batch endpoint on loopback', () => {
  let server: BatchAuthServer;
  const authorizer = (options: BatchAuthorizerOptions = {}) =>
    batchChannelAuthorization({ endpoint: server.endpoint, ...options });

  beforeEach(async () => {
    server = await startBatchAuthServer();
  });

  afterEach(() => server.stop());

  describe('coalescing', () => {
    it('sends the channels asked for in one tick as one form-encoded POST in the service batch format', async () => {
      const handler = authorizer();
      const answers = await Promise.all(
        ['private-a', 'presence-b', 'private-encrypted-c'].map((name) =>
          ask(handler, name),
        ),
      );

      expect(server.received).toHaveLength(1);
      const [batch] = server.received;
      expect(batch.method).toBe('POST');
      expect(batch.url).toBe('/pusher/auth');
      expect(batch.headers['content-type']).toBe(
        'application/x-www-form-urlencoded',
      );
      expect([...batch.form.keys()]).toEqual([
        'socket_id',
        'channel_name[0]',
        'channel_name[1]',
        'channel_name[2]',
      ]);
      expect(batch.socketId).toBe('1234.5678');
      expect(batch.channelNames).toEqual([
        'private-a',
        'presence-b',
        'private-encrypted-c',
      ]);
      expect(answers).toEqual([
        { error: null, data: signedEntry('1234.5678', 'private-a').data },
        { error: null, data: signedEntry('1234.5678', 'presence-b').data },
        {
          error: null,
          data: signedEntry('1234.5678', 'private-encrypted-c').data,
        },
      ]);
      expect(answers[1].data?.channel_data).toBe('{"user_id":"alice"}');
      expect(answers[2].data?.shared_secret).toBe(
        'secret-of-private-encrypted-c',
      );
    });

    it('gathers channels asked for later within the window into the same request', async () => {
      const handler = authorizer({ windowMs: 300 });
      const first = ask(handler, 'private-a');
      await new Promise((resolve) => setImmediate(resolve));
      const second = ask(handler, 'private-b');

      await Promise.all([first, second]);
      expect(server.received.map((b) => b.channelNames)).toEqual([
        ['private-a', 'private-b'],
      ]);
    });

    it('sends a channel asked for after the window closed in a request of its own', async () => {
      const handler = authorizer({ windowMs: 0 });
      const first = ask(handler, 'private-a');
      await server.requests(1);
      const second = ask(handler, 'private-b');

      await Promise.all([first, second]);
      expect(server.received.map((b) => b.channelNames)).toEqual([
        ['private-a'],
        ['private-b'],
      ]);
    });

    it('splits 250 channels into requests of at most 100, answering every channel', async () => {
      const handler = authorizer();
      const names = Array.from({ length: 250 }, (_, i) => `private-room-${i}`);
      const answers = await Promise.all(
        names.map((name) => ask(handler, name)),
      );

      expect(server.received.map((b) => b.channelNames.length)).toEqual([
        100, 100, 50,
      ]);
      expect(server.received.flatMap((b) => b.channelNames)).toEqual(names);
      answers.forEach((answered, i) =>
        expect(answered.data?.auth).toBe(
          `app-key:signed(1234.5678:${names[i]})`,
        ),
      );
    });

    it('sends a channel asked for twice in one window once, and answers both callers', async () => {
      const handler = authorizer();
      const answers = await Promise.all([
        ask(handler, 'private-a'),
        ask(handler, 'private-b'),
        ask(handler, 'private-a'),
      ]);

      expect(server.received.map((b) => b.channelNames)).toEqual([
        ['private-a', 'private-b'],
      ]);
      expect(answers[0]).toEqual(answers[2]);
      expect(answers[0].data?.auth).toBe('app-key:signed(1234.5678:private-a)');
    });

    it('never puts two socket ids in one request: each socket gets its own request and signatures', async () => {
      const handler = authorizer();
      const answers = await Promise.all([
        ask(handler, 'private-a', '1.1'),
        ask(handler, 'private-a', '2.2'),
        ask(handler, 'private-b', '1.1'),
      ]);

      expect(server.received.map((b) => [b.socketId, b.channelNames])).toEqual([
        ['1.1', ['private-a', 'private-b']],
        ['2.2', ['private-a']],
      ]);
      expect(answers.map((a) => a.data?.auth)).toEqual([
        'app-key:signed(1.1:private-a)',
        'app-key:signed(2.2:private-a)',
        'app-key:signed(1.1:private-b)',
      ]);
    });

    it('keeps nothing once answered: the same channel asked again is a new request', async () => {
      const handler = authorizer();
      await ask(handler, 'private-a');
      await ask(handler, 'private-a');

      expect(server.received).toHaveLength(2);
    });

    it('posts to an app-scoped endpoint as given', async () => {
      const handler = batchChannelAuthorization({
        endpoint: `${server.origin}/apps/chat/pusher/auth`,
      });
      await ask(handler, 'private-a');

      expect(server.received[0].url).toBe('/apps/chat/pusher/auth');
    });
  });

  describe('headers and params', () => {
    it('sends the headers object and the params after the batch fields', async () => {
      const handler = authorizer({
        headers: { Authorization: 'Bearer t0k3n', 'X-CSRF-Token': 'c' },
        params: { app_version: '7' },
      });
      await ask(handler, 'private-a');

      const [batch] = server.received;
      expect(batch.headers.authorization).toBe('Bearer t0k3n');
      expect(batch.headers['x-csrf-token']).toBe('c');
      expect([...batch.form.entries()]).toEqual([
        ['socket_id', '1234.5678'],
        ['channel_name[0]', 'private-a'],
        ['app_version', '7'],
      ]);
    });

    it('asks a synchronous headers function once per batch, so a refreshed token is used', async () => {
      let token = 0;
      const headers = vi.fn(() => ({ Authorization: `Bearer ${++token}` }));
      const handler = authorizer({ headers });
      await Promise.all([ask(handler, 'private-a'), ask(handler, 'private-b')]);
      await ask(handler, 'private-c');

      expect(headers).toHaveBeenCalledTimes(2);
      expect(server.received.map((b) => b.headers.authorization)).toEqual([
        'Bearer 1',
        'Bearer 2',
      ]);
    });

    it('waits for an asynchronous headers function and params function', async () => {
      const handler = authorizer({
        headers: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return { Authorization: 'Bearer refreshed' };
        },
        params: () => Promise.resolve({ tenant: 'acme' }),
      });
      const answered = await ask(handler, 'private-a');

      expect(answered.error).toBeNull();
      expect(server.received[0].headers.authorization).toBe('Bearer refreshed');
      expect(server.received[0].form.get('tenant')).toBe('acme');
    });

    it('keeps the body a form even when the headers say JSON', async () => {
      const handler = authorizer({
        headers: { 'content-type': 'application/json' },
      });
      await ask(handler, 'private-a');

      expect(server.received[0].headers['content-type']).toBe(
        'application/x-www-form-urlencoded',
      );
    });

    it('fails the batch, without a request, when the headers function rejects', async () => {
      const handler = authorizer({
        headers: () => Promise.reject(new Error('token refresh failed')),
      });
      const answers = await Promise.all([
        ask(handler, 'private-a'),
        ask(handler, 'private-b'),
      ]);

      expect(server.received).toHaveLength(0);
      expect(answers.map((a) => errorOf(a).message)).toEqual([
        'Channel authorization for private-a failed: the headers or params option failed (Error: token refresh failed)',
        'Channel authorization for private-b failed: the headers or params option failed (Error: token refresh failed)',
      ]);
    });

    it.each(['socket_id', 'channel_name', 'channel_name[0]'])(
      'fails the batch when params would set %s',
      async (name) => {
        const handler = authorizer({ params: { [name]: 'x' } });
        const error = errorOf(await ask(handler, 'private-a'));

        expect(error.message).toBe(
          `Channel authorization for private-a failed: the params option may not set ${name}`,
        );
        expect(server.received).toHaveLength(0);
      },
    );
  });

  describe('answers per channel', () => {
    it('gives a refused, a malformed and an unavailable channel each its own error naming the status', async () => {
      server.respondWith((batch) => ({
        status: 200,
        body: JSON.stringify({
          'private-a': signedEntry(batch.socketId, 'private-a'),
          'private-user-bob': { status: 403 },
          // The service keys a malformed name by its parameter, never echoing it.
          'channel_name[2]': {
            status: 400,
            message: [
              'channel_name may only contain A-Z a-z 0-9 _ - = @ , . ;',
            ],
          },
          'private-encrypted-x': {
            status: 501,
            message: [
              'private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64)',
            ],
          },
        }),
      }));
      const handler = authorizer();
      const [signed, refused, malformed, unavailable] = await Promise.all(
        [
          'private-a',
          'private-user-bob',
          'private-bad name',
          'private-encrypted-x',
        ].map((name) => ask(handler, name)),
      );

      expect(signed.data?.auth).toBe('app-key:signed(1234.5678:private-a)');
      const forbidden = errorOf(refused);
      expect(forbidden.message).toBe(
        'Channel authorization for private-user-bob failed: status 403',
      );
      expect(forbidden).toMatchObject({
        name: 'ChannelAuthorizationError',
        channelName: 'private-user-bob',
        status: 403,
      });
      expect(errorOf(malformed)).toMatchObject({
        status: 400,
        message:
          'Channel authorization for private-bad name failed: status 400 (channel_name may only contain A-Z a-z 0-9 _ - = @ , . ;)',
      });
      expect(errorOf(unavailable)).toMatchObject({
        status: 501,
        message:
          'Channel authorization for private-encrypted-x failed: status 501 (private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64))',
      });
    });
  });

  describe('a failed request fails every channel of its batch, once, without retrying', () => {
    it.each([
      [
        403,
        { statusCode: 403, message: 'Forbidden', error: 'Forbidden' },
        ' (Forbidden)',
      ],
      [
        503,
        { statusCode: 503, message: 'Service Unavailable' },
        ' (Service Unavailable)',
      ],
      [
        400,
        { statusCode: 400, message: ['a batch holds at most 100 channels'] },
        ' (a batch holds at most 100 channels)',
      ],
      [500, 'not json', ''],
    ])('status %i', async (status, body, explained) => {
      server.respondWith(() => ({
        status,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }));
      const handler = authorizer();
      const answers = await Promise.all([
        ask(handler, 'private-a'),
        ask(handler, 'presence-b'),
      ]);

      expect(answers.map((a) => errorOf(a))).toEqual([
        expect.objectContaining({
          status,
          channelName: 'private-a',
          message: `Channel authorization for private-a failed: the batch request was answered with status ${status}${explained}`,
        }),
        expect.objectContaining({ status, channelName: 'presence-b' }),
      ]);
      // Give a retry, were there one, the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.received).toHaveLength(1);
    });

    it('when nothing listens (connection refused)', async () => {
      await server.stop();
      const handler = authorizer();
      const error = errorOf(await ask(handler, 'private-a'));

      expect(error.status).toBeUndefined();
      expect(error.message).toMatch(
        /^Channel authorization for private-a failed: the request failed without an answer \(TypeError: fetch failed\)$/,
      );
    });

    it('when no answer comes within timeoutMs: the request is aborted', async () => {
      server.respondWith(() => 'hang');
      const handler = authorizer({ timeoutMs: 100 });
      const answers = await Promise.all([
        ask(handler, 'private-a'),
        ask(handler, 'private-b'),
      ]);

      expect(answers.map((a) => errorOf(a).message)).toEqual([
        'Channel authorization for private-a failed: no answer within 100 ms',
        'Channel authorization for private-b failed: no answer within 100 ms',
      ]);
      expect(server.received).toHaveLength(1);
    });

    it('when the headers function never settles within timeoutMs', async () => {
      const handler = authorizer({
        timeoutMs: 100,
        headers: () => new Promise<Record<string, string>>(() => undefined),
      });
      const error = errorOf(await ask(handler, 'private-a'));

      expect(error.message).toBe(
        'Channel authorization for private-a failed: no answer within 100 ms',
      );
      expect(server.received).toHaveLength(0);
    });

    it('when the answer is not JSON', async () => {
      server.respondWith(() => ({ status: 200, body: '<html>login</html>' }));
      const error = errorOf(await ask(authorizer(), 'private-a'));

      expect(error.message).toBe(
        'Channel authorization for private-a failed: the answer is not JSON',
      );
    });
  });
});
