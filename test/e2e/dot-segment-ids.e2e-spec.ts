import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_COMPILED, directoryCli, runCli } from '../helpers/cli-process';
import { expectCliRefused, expectImportRefused } from '../helpers/cli-refusals';
import { execSql } from '../helpers/plain-sql';
import { useAppWithRestStandIn } from '../helpers/app-with-rest-stand-in';
import { runServiceWithPolicyFile } from '../helpers/policy-file';
import {
  SERVICE_ENTRY,
  useBuiltServiceWorkDir,
} from '../helpers/service-process';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';
import { injectSignIn } from '../helpers/sign-in';
import { waitFor, waitForLog } from '../helpers/wait-for';

/**
 * `.` and `..` are made of allowed characters, but as a path segment of the REST API
 * (`/users/<id>/terminate_connections`) an HTTP client resolves them: the call would go to
 * another path than the one signed. They are refused wherever an id is checked.
 */
const DOT_IDS = ['.', '..'];

describe('the user ids "." and ".." at sign-in', () => {
  let storage: TestStorage;
  let service: TestApp;

  const signIn = (sub: string) => injectSignIn(service.app, sub, '1.2');

  beforeAll(async () => {
    storage = await STORAGE_BACKENDS[0][1]();
    // `claims`: an unknown id would be signed from the token alone, so only the id rule stops it.
    service = await startTestApp({
      DIRECTORY_URL: storage.url,
      DIRECTORY_UNKNOWN_USERS: 'claims',
    });
    // Written as rows a database user could write, past the CLI's checks.
    await service.seed(
      ...DOT_IDS.map((id) => ({ id, userInfo: null, watchlist: [] })),
      { id: 'dotty', userInfo: null, watchlist: ['bob', '..'] },
    );
  });
  afterAll(async () => {
    await service?.close();
    await storage?.cleanup();
  });

  it.each(DOT_IDS)('refuses a token whose sub is %j with 403', async (id) => {
    const response = await signIn(id);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('auth"');
    expect(service.logs.lines).toContainEqual(
      expect.stringContaining(
        `not signing user ${JSON.stringify(id)}: id must be`,
      ),
    );
  });

  it('refuses a stored user whose watchlist holds ".."', async () => {
    const response = await signIn('dotty');
    expect(response.statusCode).toBe(403);
    expect(service.logs.lines).toContainEqual(
      expect.stringContaining(
        'not signing user "dotty": watchlist entries must be valid user ids',
      ),
    );
    // Everyone else still signs in.
    expect((await signIn('bob')).statusCode).toBe(200);
  });
});

describe('TERMINATE_ON_REMOVE for a removed row with the id ".."', () => {
  const running = useAppWithRestStandIn(STORAGE_BACKENDS[0][1], {
    TERMINATE_ON_REMOVE: 'true',
  });

  beforeAll(async () => {
    await running.service.seed(
      { id: '..', userInfo: null, watchlist: [] },
      { id: 'zed', userInfo: null, watchlist: [] },
    );
    await waitForLog(
      running.service.logs.lines,
      /directory change: changed zed\b/,
    );
  });

  it('calls the REST API for nobody but the valid user', async () => {
    await execSql(
      running.storage.url,
      "DELETE FROM directory_users WHERE id = '..'",
    );
    await execSql(
      running.storage.url,
      "DELETE FROM directory_users WHERE id = 'zed'",
    );
    await waitFor('the terminate request for zed', () =>
      running.pusherApi.requests.some((request) =>
        request.path.includes('/zed/'),
      ),
    );
    await waitForLog(
      running.service.logs.lines,
      /removed user "\.\." is not a valid Pusher user id/,
    );
    expect(running.pusherApi.requests.map((request) => request.path)).toEqual([
      `/apps/${TEST_PUSHER.appId}/users/zed/terminate_connections`,
    ]);
  });
});

describe('the CLI and the policy file refuse "." and ".."', () => {
  const workDir = useBuiltServiceWorkDir('pusher-auth-dot-ids-', [
    CLI_COMPILED,
    SERVICE_ENTRY,
  ]);
  // Unreachable: a command that opened it would answer exit code 3, not 1.
  const nowhere = 'postgres://postgres@127.0.0.1:1/none';

  it.each([
    [['directory', 'upsert', '..'], 'the id must be'],
    [['directory', 'grant', 'user', '..', 'private-x'], 'the user id must be'],
    [['directory', 'groups', 'add', '.', 'bob'], 'the group id must be'],
    [['token', '..'], 'the user id must be'],
  ])('`pusher-auth %s` exits 1 with one line', async (args, message) => {
    const result = await runCli(args, { DIRECTORY_URL: nowhere });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('(not "." or "..")');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses import lines whose id or watchlist is a dot segment, and imports nothing', async () => {
    const storage = await STORAGE_BACKENDS[0][1]();
    try {
      const file = join(workDir(), 'dots.jsonl');
      writeFileSync(
        file,
        [
          { id: 'fine' },
          { id: '.' },
          { id: 'x', watchlist: ['..'] },
          { id: '..', user_info: { name: 'Dots' } },
        ]
          .map((record) => JSON.stringify(record))
          .join('\n'),
      );
      const result = await directoryCli(storage.url, ['import', file]);
      expectImportRefused(result, file, [
        'line 2: id must be 1-128 characters of A-Z a-z 0-9 _ - = @ , . ; (not "." or "..")',
        'line 3: watchlist entries must be valid user ids',
        'line 4: id must be 1-128 characters of A-Z a-z 0-9 _ - = @ , . ; (not "." or "..")',
      ]);
      expect((await directoryCli(storage.url, ['list'])).stdout).toBe('');
      const upsert = await directoryCli(storage.url, [
        'upsert',
        'ok',
        '--watchlist',
        'bob,.',
      ]);
      expectCliRefused(upsert, 'watchlist entries must be valid user ids');
    } finally {
      await storage.cleanup();
    }
  });

  it('stops the service on a policy file naming ".." as a user', async () => {
    const { code, output } = await runServiceWithPolicyFile(
      workDir(),
      "rules:\n  - channels: presence-x\n    allow: {users: [alice, '..']}\n",
    );
    expect(code).toBe(1);
    expect(output).toContain(
      'rules[0].allow.users[1]: user ids are 1-128 characters of A-Z a-z 0-9 _ - = @ , . ; (not "." or "..")',
    );
    expect(output).not.toMatch(/\n\s+at /);
  });
});
