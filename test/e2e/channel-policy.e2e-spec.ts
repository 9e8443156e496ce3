import { claimsFor, signJwt } from '../helpers/jwt';
import { writePolicyFile } from '../helpers/policy-file';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { FORBIDDEN_BODY } from '../helpers/forbidden';

const MASTER_KEY = Buffer.alloc(32, 1).toString('base64');

/** The policy language's features, one rule each (docs/channel-policy.md). */
const POLICY = `
version: 1
rules:
  - description: every signed-in user
    channels: presence-lobby
    allow: any-user
  - description: channels named after the caller
    channels:
      - 'private-notifications-{id}'
      - 'private-dm-{id}-*'
      - 'private-dm-*-{id}'
    allow: any-user
  - description: named users and groups
    channels: 'private-admin-*'
    allow:
      users: [carol]
      groups: [admins]
  - description: one channel per group the caller is in
    channels: 'private-team-{group}'
    allow: any-user
  - description: both at once, the channel's group and the leads group
    channels: 'presence-team-{group}-standup'
    allow:
      groups: [leads]
`;

const USERS = ['alice', 'bob', 'carol', 'dave'];

/** [user, channel, status]: each row is decided on its own. */
const MATRIX: [string, string, number][] = [
  // Built-in: a user's own channels, for that user alone.
  ['alice', 'private-user-alice', 200],
  ['bob', 'private-user-alice', 403],
  ['alice', 'private-encrypted-user-alice', 200],
  ['bob', 'private-encrypted-user-alice', 403],
  ['alice', 'private-user-alicex', 403],
  ['alice', 'private-user-ali', 403],
  ['alice', 'private-encrypted-user-bob', 403],
  // any-user
  ['alice', 'presence-lobby', 200],
  ['bob', 'presence-lobby', 200],
  ['alice', 'presence-lobby-2', 403],
  // {id}
  ['alice', 'private-notifications-alice', 200],
  ['alice', 'private-notifications-bob', 403],
  ['alice', 'private-dm-alice-bob', 200],
  ['bob', 'private-dm-alice-bob', 200],
  ['carol', 'private-dm-alice-bob', 403],
  // users / groups lists
  ['carol', 'private-admin-panel', 200],
  ['bob', 'private-admin-panel', 200],
  ['alice', 'private-admin-panel', 403],
  // {group}
  ['alice', 'private-team-red', 200],
  ['alice', 'private-team-blue', 403],
  ['bob', 'private-team-blue', 200],
  // {group} and a groups list together
  ['dave', 'presence-team-red-standup', 200],
  ['alice', 'presence-team-red-standup', 403],
  ['dave', 'presence-team-blue-standup', 403],
  // Directory grants: to a user, to a group, with placeholders
  ['alice', 'presence-room-1', 200],
  ['alice', 'presence-room-2', 403],
  ['bob', 'presence-room-2', 200],
  ['bob', 'presence-room-99', 200],
  ['dave', 'private-project-dave-plans', 200],
  ['dave', 'private-project-alice-plans', 403],
  // A malformed stored grant is ignored, never widened into "everything".
  ['carol', 'presence-room-1', 403],
  // Default deny.
  ['alice', 'private-random', 403],
  ['alice', 'presence-anything', 403],
  ['alice', 'private-encrypted-secret', 403],
];

describe.each(STORAGE_BACKENDS)(
  'channel policy on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let policy: { path: string; cleanup(): void };
    let service: TestApp;

    const authorize = (user: string, channel: string) =>
      service.app.inject({
        method: 'POST',
        url: '/pusher/auth',
        headers: {
          authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(user))}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `socket_id=1.2&channel_name=${channel}`,
      });

    beforeAll(async () => {
      storage = await openStorage();
      policy = writePolicyFile(POLICY);
      service = await startTestApp({
        DIRECTORY_URL: storage.url,
        DIRECTORY_CACHE_TTL_MS: '0',
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: MASTER_KEY,
        CHANNEL_POLICY_FILE: policy.path,
      });
      await service.seed(
        ...USERS.map((id) => ({ id, userInfo: null, watchlist: [] })),
      );
      const { admin } = service;
      await admin.addGroupMember('red', 'alice');
      await admin.addGroupMember('admins', 'bob');
      await admin.addGroupMember('blue', 'bob');
      await admin.addGroupMember('red', 'dave');
      await admin.addGroupMember('leads', 'dave');
      await admin.grantChannel({
        subject: 'user',
        subjectId: 'alice',
        channelPattern: 'presence-room-1',
      });
      await admin.grantChannel({
        subject: 'group',
        subjectId: 'blue',
        channelPattern: 'presence-room-*',
      });
      await admin.grantChannel({
        subject: 'user',
        subjectId: 'dave',
        channelPattern: 'private-project-{id}-*',
      });
      await admin.grantChannel({
        subject: 'user',
        subjectId: 'carol',
        channelPattern: '*',
      });
    });

    afterAll(async () => {
      await service?.close();
      await storage?.cleanup();
      policy?.cleanup();
    });

    it.each(MATRIX)('%s → %s: %i', async (user, channel, status) => {
      const response = await authorize(user, channel);
      expect(response.statusCode).toBe(status);
      if (status === 403) {
        expect(response.json()).toEqual(FORBIDDEN_BODY);
      } else {
        expect(response.json().auth).toMatch(/^test-key:[0-9a-f]{64}$/);
      }
    });

    it('logs the malformed grant it ignored, naming the user', () => {
      expect(
        service.logs.lines.some(
          (line) =>
            /^warn ignoring a channel grant/.test(line) &&
            line.includes('"carol"'),
        ),
      ).toBe(true);
    });

    it('stops allowing as soon as a grant is revoked or a membership removed', async () => {
      expect((await authorize('alice', 'presence-room-1')).statusCode).toBe(
        200,
      );
      expect(
        await service.admin.revokeChannel({
          subject: 'user',
          subjectId: 'alice',
          channelPattern: 'presence-room-1',
        }),
      ).toBe(true);
      expect((await authorize('alice', 'presence-room-1')).statusCode).toBe(
        403,
      );

      expect((await authorize('bob', 'presence-room-2')).statusCode).toBe(200);
      expect(await service.admin.removeGroupMember('blue', 'bob')).toBe(true);
      expect((await authorize('bob', 'presence-room-2')).statusCode).toBe(403);
      expect((await authorize('bob', 'private-team-blue')).statusCode).toBe(
        403,
      );
    });

    it('stores grants and memberships idempotently, on both backends', async () => {
      const grant = {
        subject: 'group' as const,
        subjectId: 'red',
        channelPattern: 'presence-red-room',
      };
      await service.admin.grantChannel(grant);
      await service.admin.grantChannel(grant);
      await service.admin.addGroupMember('red', 'alice');
      expect(await service.directory.findChannelAccess('alice')).toEqual({
        groups: ['red'],
        grants: ['presence-red-room'],
      });
      expect(await service.admin.revokeChannel(grant)).toBe(true);
      expect(await service.admin.revokeChannel(grant)).toBe(false);
    });
  },
);

describe('without CHANNEL_POLICY_FILE', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(() => service?.close());

  const authorize = (channel: string) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `socket_id=1.2&channel_name=${channel}`,
    });

  it("allows only the built-in rule: the user's own channel", async () => {
    expect((await authorize('private-user-alice')).statusCode).toBe(200);
    expect((await authorize('presence-lobby')).statusCode).toBe(403);
    expect((await authorize('private-chat')).statusCode).toBe(403);
  });
});

describe('with PUSHER_CHANNEL_AUTH_PATH set', () => {
  it('serves channel authorization at that path only', async () => {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      PUSHER_CHANNEL_AUTH_PATH: '/realtime/channels',
    });
    try {
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
      const post = (url: string) =>
        service.app.inject({
          method: 'POST',
          url,
          headers: {
            authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: 'socket_id=1.2&channel_name=private-user-alice',
        });
      expect((await post('/realtime/channels')).statusCode).toBe(200);
      expect((await post('/pusher/auth')).statusCode).toBe(404);
    } finally {
      await service.close();
    }
  });
});
