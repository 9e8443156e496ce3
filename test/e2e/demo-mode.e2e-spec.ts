import { createApp } from '../../src/app.factory';
import {
  DEMO_ENCRYPTION_MASTER_KEY_BASE64,
  DEMO_JWT_SECRET,
} from '../../src/config/demo-mode';
import { loadServiceConfig } from '../../src/extensions/service-config';
import { DirectoryBackend } from '../../src/directory/directory-backend';
import { UserDirectory } from '../../src/directory/user-directory';
import {
  expectedChannelAuth,
  expectedSharedSecret,
} from '../helpers/channel-signature';
import { directoryCli } from '../helpers/cli-process';
import { claimsFor, signJwt } from '../helpers/jwt';
import { CapturingLogger, temporarySqliteUrl } from '../helpers/test-app';

const DEMO_APP = { key: 'app-key', secret: 'app-secret' };
const SOCKET_ID = '1234.5678';

/** The real AppModule with nothing configured but where the directory is: demo mode. */
async function startDemo(directoryUrl: string) {
  const logs = new CapturingLogger();
  const config = loadServiceConfig({ DIRECTORY_URL: directoryUrl });
  expect(config.demo.enabled).toBe(true);
  const app = await createApp(config, {
    logger: logs,
    logStream: logs.stream,
  });
  return {
    app,
    logs,
    directory: app.get(UserDirectory),
    admin: app.get(DirectoryBackend).admin!,
  };
}
type Demo = Awaited<ReturnType<typeof startDemo>>;

const ALICE = {
  id: 'alice',
  userInfo: { name: 'Alice' },
  watchlist: ['bob', 'carol'],
};
const BOB = { id: 'bob', userInfo: { name: 'Bob' }, watchlist: ['alice'] };
const CAROL = { id: 'carol', userInfo: { name: 'Carol' }, watchlist: [] };

describe('demo mode seeds only the demo users that are missing', () => {
  let sqlite: { url: string; cleanup(): void };
  let demo: Demo | undefined;

  beforeAll(() => {
    sqlite = temporarySqliteUrl();
  });
  afterAll(async () => {
    await demo?.app.close();
    sqlite.cleanup();
  });

  it('creates them on the first start, keeps CLI changes across a restart, and brings back a removed one', async () => {
    demo = await startDemo(sqlite.url);
    expect(demo.logs.lines).toContainEqual(
      expect.stringMatching(
        /demo users: alice, bob, carol \(created now: alice, bob, carol;/,
      ),
    );
    expect(await demo.directory.findUser('alice')).toEqual(ALICE);
    await demo.app.close();
    demo = undefined;

    const cli = (...args: string[]) => directoryCli(sqlite.url, args);
    expect(
      (
        await cli(
          'upsert',
          'alice',
          '--info',
          '{"name":"Alice (changed)"}',
          '--watchlist',
          'carol',
        )
      ).code,
    ).toBe(0);
    expect((await cli('remove', 'bob')).code).toBe(0);

    demo = await startDemo(sqlite.url);
    expect(demo.logs.lines).toContainEqual(
      expect.stringMatching(
        /demo users: alice, bob, carol \(created now: bob;/,
      ),
    );
    expect(await demo.directory.findUser('alice')).toEqual({
      id: 'alice',
      userInfo: { name: 'Alice (changed)' },
      watchlist: ['carol'],
    });
    expect(await demo.directory.findUser('bob')).toEqual(BOB);
    expect(await demo.directory.findUser('carol')).toEqual(CAROL);
  });
});

describe('demo mode allows the documented channel examples to the demo users', () => {
  let sqlite: { url: string; cleanup(): void };
  let demo: Demo;

  const authorize = (user: string, body: string) =>
    demo.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        // Signed by the tests' own signer with the public demo secret.
        authorization: `Bearer ${signJwt('HS256', DEMO_JWT_SECRET, claimsFor(user))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body,
    });
  const channel = (user: string, name: string) =>
    authorize(user, `socket_id=${SOCKET_ID}&channel_name=${name}`);

  beforeAll(async () => {
    sqlite = temporarySqliteUrl();
    demo = await startDemo(sqlite.url);
    // The documented team example needs a group: the CLI's job, here through the port.
    await demo.admin.addGroupMember('red', 'alice');
  });
  afterAll(async () => {
    await demo?.app.close();
    sqlite?.cleanup();
  });

  it('signs presence-lobby for every demo user, with their user_info as channel_data', async () => {
    for (const { id, userInfo } of [ALICE, BOB, CAROL]) {
      const response = await channel(id, 'presence-lobby');
      expect(response.statusCode).toBe(200);
      const body = response.json<{ auth: string; channel_data: string }>();
      expect(body.channel_data).toBe(
        JSON.stringify({ user_id: id, user_info: userInfo }),
      );
      expect(body.auth).toBe(
        expectedChannelAuth(
          DEMO_APP.key,
          DEMO_APP.secret,
          SOCKET_ID,
          'presence-lobby',
          body.channel_data,
        ),
      );
    }
  });

  it("answers the documented batch example: own channel and lobby signed, another user's channel refused", async () => {
    const response = await authorize(
      'alice',
      `socket_id=${SOCKET_ID}&channel_name[0]=private-user-alice&channel_name[1]=presence-lobby&channel_name[2]=private-user-bob`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, { status: number }>>();
    expect(body['private-user-alice'].status).toBe(200);
    expect(body['presence-lobby'].status).toBe(200);
    expect(body['private-user-bob']).toEqual({ status: 403 });
  });

  it.each([
    ['alice', 'private-dm-alice-bob', 200],
    ['bob', 'private-dm-alice-bob', 200],
    ['carol', 'private-dm-alice-bob', 403],
    ['carol', 'private-admin-console', 200],
    ['alice', 'private-admin-console', 403],
    ['alice', 'private-team-red', 200],
    ['bob', 'private-team-red', 403],
    ['alice', 'presence-elsewhere', 403],
  ])('%s → %s: %i', async (user, name, status) => {
    const response = await channel(user, name);
    expect(response.statusCode).toBe(status);
    if (status === 200) {
      expect(response.json<{ auth: string }>().auth).toBe(
        expectedChannelAuth(DEMO_APP.key, DEMO_APP.secret, SOCKET_ID, name),
      );
    }
  });

  it('signs private-encrypted channels with the public demo master key', async () => {
    const name = 'private-encrypted-user-alice';
    const response = await channel('alice', name);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      auth: expectedChannelAuth(DEMO_APP.key, DEMO_APP.secret, SOCKET_ID, name),
      shared_secret: expectedSharedSecret(
        name,
        DEMO_ENCRYPTION_MASTER_KEY_BASE64,
      ),
    });
  });
});
