import type { DirectoryUser } from '../../src/directory/directory-user';
import {
  expectedChannelAuth,
  expectedSharedSecret,
} from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { writePolicyFile } from '../helpers/policy-file';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

/** 32 fixed bytes, so the expected shared secrets are reproducible. */
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
const FORM = 'application/x-www-form-urlencoded';

const ALICE: DirectoryUser = {
  id: 'alice',
  userInfo: { name: 'Alice', avatar: 'https://example.com/a.png' },
  watchlist: ['bob'],
};
const BARE: DirectoryUser = { id: 'bare', userInfo: null, watchlist: [] };

const tokenFor = (sub: string) =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub));

describe.each(STORAGE_BACKENDS)(
  'channel authorization on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let policy: { path: string; cleanup(): void };
    let service: TestApp;

    const authorize = (
      body: string | Record<string, unknown>,
      headers: Record<string, string> = {
        authorization: `Bearer ${tokenFor('alice')}`,
      },
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
      storage = await openStorage();
      policy = writePolicyFile(
        'rules:\n  - channels: presence-lobby\n    allow: any-user\n',
      );
      service = await startTestApp({
        DIRECTORY_URL: storage.url,
        DIRECTORY_CACHE_TTL_MS: '0',
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_KEY,
        CHANNEL_POLICY_FILE: policy.path,
      });
      await service.seed(ALICE, BARE);
      await service.admin.grantChannel({
        subject: 'user',
        subjectId: 'alice',
        channelPattern: 'presence-room-*',
      });
    });

    afterAll(async () => {
      await service?.close();
      await storage?.cleanup();
      policy?.cleanup();
    });

    it("signs the user's own private channel (form body), exactly 200 and no-store", async () => {
      const response = await authorize(
        'socket_id=123.456&channel_name=private-user-alice',
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({
        auth: expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '123.456',
          'private-user-alice',
        ),
      });
    });

    it('signs a JSON body the same way and ignores extra params', async () => {
      const response = await authorize({
        socket_id: '7.8',
        channel_name: 'private-user-alice',
        room: 'x',
        user_id: 'mallory',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        auth: expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '7.8',
          'private-user-alice',
        ),
      });
    });

    it('signs a presence channel with user_id and the stored user_info as channel_data', async () => {
      const response = await authorize(
        'socket_id=1.2&channel_name=presence-lobby',
      );
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['auth', 'channel_data']);
      expect(JSON.parse(body.channel_data)).toEqual({
        user_id: 'alice',
        user_info: ALICE.userInfo,
      });
      expect(body.auth).toBe(
        expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '1.2',
          'presence-lobby',
          body.channel_data,
        ),
      );
    });

    it('signs a presence channel allowed by a directory grant', async () => {
      const response = await authorize(
        'socket_id=1.2&channel_name=presence-room-42',
      );
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(JSON.parse(body.channel_data)).toEqual({
        user_id: 'alice',
        user_info: ALICE.userInfo,
      });
      expect(body.auth).toBe(
        expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '1.2',
          'presence-room-42',
          body.channel_data,
        ),
      );
    });

    it('leaves user_info out of channel_data when the directory holds none', async () => {
      const response = await authorize(
        'socket_id=3.4&channel_name=presence-lobby',
        { authorization: `Bearer ${tokenFor('bare')}` },
      );
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.json().channel_data)).toEqual({
        user_id: 'bare',
      });
    });

    it('reads user_info from storage on each request when the cache is off', async () => {
      await service.seed({ ...BARE, userInfo: { name: 'Now Named' } });
      try {
        const response = await authorize(
          'socket_id=3.4&channel_name=presence-lobby',
          { authorization: `Bearer ${tokenFor('bare')}` },
        );
        expect(JSON.parse(response.json().channel_data)).toEqual({
          user_id: 'bare',
          user_info: { name: 'Now Named' },
        });
      } finally {
        await service.seed(BARE);
      }
    });

    it('signs an encrypted channel with the shared secret derived from the master key', async () => {
      const channel = 'private-encrypted-user-alice';
      const response = await authorize(
        `socket_id=99.100&channel_name=${channel}`,
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        auth: expectedChannelAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '99.100',
          channel,
        ),
        shared_secret: expectedSharedSecret(channel, MASTER_KEY),
      });
    });

    it.each([
      ['no credentials', {}],
      [
        'a token signed with another secret',
        {
          authorization: `Bearer ${signJwt('HS256', 'another-secret-that-is-long-enough-!!', claimsFor('alice'))}`,
        },
      ],
      [
        'a user the directory does not know',
        {
          authorization: `Bearer ${tokenFor('nobody')}`,
        },
      ],
    ])('refuses %s with 403 and signs nothing', async (_case, headers) => {
      const response = await authorize(
        'socket_id=1.2&channel_name=private-user-alice',
        headers,
      );
      expectForbidden(response);
    });

    it('refuses a user whose record breaks the user rules, even for their own channel', async () => {
      await service.seed({ id: 'broken', userInfo: ['list'], watchlist: [] });
      const response = await authorize(
        'socket_id=1.2&channel_name=private-user-broken',
        { authorization: `Bearer ${tokenFor('broken')}` },
      );
      expect(response.statusCode).toBe(403);
      expect(
        service.logs.lines.some(
          (line) => line.includes('"broken"') && /user_info/.test(line),
        ),
      ).toBe(true);
    });

    it('never writes a signature, token or shared secret to the log', async () => {
      const token = tokenFor('alice');
      const response = await authorize(
        'socket_id=5.5&channel_name=private-encrypted-user-alice',
        { authorization: `Bearer ${token}` },
      );
      const { auth, shared_secret: sharedSecret } = response.json();
      const log = service.logs.lines.join('\n');
      expect(log).not.toContain(auth.split(':')[1]);
      expect(log).not.toContain(sharedSecret);
      expect(log).not.toContain(token);
      expect(log).not.toContain(MASTER_KEY);
    });
  },
);
