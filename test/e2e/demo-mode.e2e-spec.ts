import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';
import { UserDirectory } from '../../src/directory/user-directory';
import { directoryCli } from '../helpers/cli-process';
import { CapturingLogger, temporarySqliteUrl } from '../helpers/test-app';

/** The real AppModule with nothing configured but where the directory is: demo mode. */
async function startDemo(directoryUrl: string) {
  const logs = new CapturingLogger();
  const config = loadConfig({ DIRECTORY_URL: directoryUrl });
  expect(config.demo.enabled).toBe(true);
  const app = await createApp(config, {
    logger: logs,
    logStream: logs.stream,
  });
  return { app, logs, directory: app.get(UserDirectory) };
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
