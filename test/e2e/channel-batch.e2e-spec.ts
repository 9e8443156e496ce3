import {
  expectedChannelAuth,
  expectedSharedSecret,
} from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { LOBBY_POLICY, seedAliceWithRoomsAndBob } from '../helpers/batch-users';
import { writePolicyFile } from '../helpers/policy-file';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');
const token = (sub: string) =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub));

/** What the pusher-js-auth plugin sends: `&socket_id=…&channel_name[i]=…` then its params. */
function pluginBody(socketId: string, channels: string[], params = {}) {
  let body = `&socket_id=${encodeURIComponent(socketId)}`;
  channels.forEach((channel, index) => {
    body += `&channel_name[${index}]=${encodeURIComponent(channel)}`;
  });
  for (const [name, value] of Object.entries(params)) {
    body += `&${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  return body;
}

describe.each(STORAGE_BACKENDS)(
  'batch channel authorization on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let policy: { path: string; cleanup(): void };
    let service: TestApp;

    const post = (body: string, sub: string | null = 'alice') =>
      service.app.inject({
        method: 'POST',
        url: '/pusher/auth',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(sub ? { authorization: `Bearer ${token(sub)}` } : {}),
        },
        payload: body,
      });

    beforeAll(async () => {
      storage = await openStorage();
      policy = writePolicyFile(LOBBY_POLICY);
      service = await startTestApp({
        DIRECTORY_URL: storage.url,
        DIRECTORY_CACHE_TTL_MS: '0',
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_KEY,
        CHANNEL_POLICY_FILE: policy.path,
      });
      await seedAliceWithRoomsAndBob(service, 'presence-room-*');
    });

    afterAll(async () => {
      await service?.close();
      await storage?.cleanup();
      policy?.cleanup();
    });

    it('answers each channel on its own: signed, refused, malformed', async () => {
      const socketId = '1234.5678';
      const response = await post(
        pluginBody(
          socketId,
          [
            'private-user-alice',
            'private-user-bob',
            'presence-lobby',
            'bad name',
            'private-encrypted-user-alice',
            'presence-room-7',
            'news',
          ],
          { some_param: 'x' },
        ),
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json();
      expect(Object.keys(body)).toEqual([
        'private-user-alice',
        'private-user-bob',
        'presence-lobby',
        'channel_name[3]',
        'private-encrypted-user-alice',
        'presence-room-7',
        'channel_name[6]',
      ]);
      const sign = (channel: string, data?: string) =>
        expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          socketId,
          channel,
          data,
        );
      expect(body['private-user-alice']).toEqual({
        status: 200,
        data: { auth: sign('private-user-alice') },
      });
      expect(body['private-user-bob']).toEqual({ status: 403 });
      const lobby = body['presence-lobby'];
      expect(lobby.status).toBe(200);
      expect(JSON.parse(lobby.data.channel_data)).toEqual({
        user_id: 'alice',
        user_info: { name: 'Alice' },
      });
      expect(lobby.data.auth).toBe(
        sign('presence-lobby', lobby.data.channel_data),
      );
      expect(body['channel_name[3]']).toEqual({
        status: 400,
        message: ['channel_name may only contain A-Z a-z 0-9 _ - = @ , . ;'],
      });
      expect(body['private-encrypted-user-alice']).toEqual({
        status: 200,
        data: {
          auth: sign('private-encrypted-user-alice'),
          shared_secret: expectedSharedSecret(
            'private-encrypted-user-alice',
            MASTER_KEY,
          ),
        },
      });
      const room = body['presence-room-7'];
      expect(room.data.auth).toBe(
        sign('presence-room-7', room.data.channel_data),
      );
      expect(body['channel_name[6]']).toMatchObject({ status: 400 });
      expect(response.body).not.toContain('bad name');
      expect(response.body).not.toContain('"news');
    });

    it('answers in index order whatever order the keys arrive in', async () => {
      const response = await post(
        'socket_id=1.2&channel_name[1]=presence-lobby&channel_name[0]=private-user-alice',
      );
      expect(Object.keys(response.json())).toEqual([
        'private-user-alice',
        'presence-lobby',
      ]);
    });

    it('answers a channel named twice once', async () => {
      const response = await post(
        pluginBody('1.2', ['private-user-alice', 'private-user-alice']),
      );
      expect(Object.keys(response.json())).toEqual(['private-user-alice']);
    });

    it('accepts a batch of 100 channels', async () => {
      const channels = Array.from(
        { length: 100 },
        (_, index) => `presence-room-${index}`,
      );
      const response = await post(pluginBody('1.2', channels));
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body)).toHaveLength(100);
      for (const channel of channels) expect(body[channel].status).toBe(200);
    });

    it.each([
      [
        'more than 100 channels',
        pluginBody(
          '1.2',
          Array.from({ length: 101 }, (_, index) => `presence-room-${index}`),
        ),
        /at most 100 channels/,
      ],
      [
        'channel_name and channel_name[0] together',
        'socket_id=1.2&channel_name=private-user-alice&channel_name[0]=presence-lobby',
        /not both/,
      ],
      [
        'a key that is not channel_name[N]',
        'socket_id=1.2&channel_name[0]=private-user-alice&channel_name[x]=presence-lobby',
        /batch keys must look like/,
      ],
      [
        'PHP-style channel_name[]',
        'socket_id=1.2&channel_name[]=private-user-alice&channel_name[]=presence-lobby',
        /batch keys must look like/,
      ],
      [
        'a bad socket_id',
        pluginBody('nope', ['private-user-alice']),
        /^socket_id /,
      ],
    ])('refuses %s as a whole with 400', async (_case, body, message) => {
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().message.join('\n')).toMatch(message);
    });

    it('answers a repeated channel_name[N] key for that entry alone', async () => {
      const response = await post(
        'socket_id=1.2&channel_name[0]=private-user-alice&channel_name[1]=presence-lobby&channel_name[1]=presence-x',
      );
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body['private-user-alice'].status).toBe(200);
      expect(body['channel_name[1]']).toEqual({
        status: 400,
        message: [
          'channel_name must be one string (a batch uses channel_name[0], channel_name[1], …)',
        ],
      });
    });

    it('refuses the whole batch with 403 when the caller is not identified', async () => {
      const response = await post(
        pluginBody('1.2', ['private-user-alice', 'presence-lobby']),
        null,
      );
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain('private-user-alice');
    });

    it("refuses every channel of bob's batch that is not his", async () => {
      const response = await post(
        pluginBody('1.2', [
          'private-user-alice',
          'presence-room-1',
          'private-user-bob',
        ]),
        'bob',
      );
      const body = response.json();
      expect(body['private-user-alice']).toEqual({ status: 403 });
      expect(body['presence-room-1']).toEqual({ status: 403 });
      expect(body['private-user-bob'].status).toBe(200);
    });
  },
);
