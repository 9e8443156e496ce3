import { directoryCli, runCli } from '../helpers/cli-process';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';

describe('the grant and group commands without a database', () => {
  it('are listed in the help, with an example', async () => {
    const { code, stdout } = await runCli(['directory', '--help'], {});
    expect(code).toBe(0);
    for (const command of ['grant', 'revoke', 'grants', 'groups']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(stdout).toContain("directory grant group support 'presence-room-*'");
  });

  it('refuse what the service would ignore with exit code 1, before opening the directory', async () => {
    // Unreachable: had it been opened, the answer would be exit code 3.
    const nowhere = 'postgres://postgres@127.0.0.1:1/none';
    for (const [args, message] of [
      [
        ['grant', 'user', 'alice', 'public-lobby'],
        'the channel pattern must start with private-, private-encrypted- or presence-',
      ],
      [['grant', 'user', 'alice', 'private-{nope}'], 'the channel pattern'],
      // Matching is linear whatever the pattern; the bound keeps a pattern's cost small.
      [
        ['grant', 'user', 'alice', `private-${'*a'.repeat(9)}`],
        'may hold at most 8 placeholders',
      ],
      [
        ['revoke', 'group', 'bad group', 'private-x'],
        'the group id must be 1-128 characters',
      ],
      [['groups', 'add', 'support', 'bad/user'], 'the user id must be'],
      [['grants', '--user', 'bad user'], 'the user id must be'],
    ] as const) {
      const result = await directoryCli(nowhere, [...args]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);

  it('refuse a subject that is neither user nor group with exit code 2', async () => {
    const { code, stderr } = await runCli(
      ['directory', 'grant', 'team', 'red', 'private-team-red'],
      {},
    );
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are user, group');
  });
});

describe.each(STORAGE_BACKENDS)(
  'the grant and group commands on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    const cli = (...args: string[]) => directoryCli(storage.url, args);

    beforeAll(async () => {
      storage = await openStorage();
      expect((await cli('upsert', 'alice')).code).toBe(0);
      expect((await cli('upsert', 'bob')).code).toBe(0);
    }, 120_000);
    afterAll(() => storage?.cleanup());

    it('grants to users and groups, says when a grant was there already, and lists them', async () => {
      expect(
        await cli('grant', 'user', 'alice', 'private-project-{id}'),
      ).toEqual({
        code: 0,
        stdout: '',
        stderr: 'granted "private-project-{id}" to user "alice"\n',
      });
      expect(
        (await cli('grant', 'group', 'support', 'presence-room-*')).stderr,
      ).toBe('granted "presence-room-*" to group "support"\n');
      const again = await cli('grant', 'group', 'support', 'presence-room-*');
      expect(again).toMatchObject({
        code: 0,
        stderr: 'group "support" already has "presence-room-*"\n',
      });
      expect(
        (await cli('grant', 'group', 'admins', 'private-admin-*')).code,
      ).toBe(0);

      expect((await cli('grants')).stdout).toBe(
        [
          'group admins private-admin-*',
          'group support presence-room-*',
          'user alice private-project-{id}',
          '',
        ].join('\n'),
      );
      expect((await cli('grants', '--group', 'support')).stdout).toBe(
        'group support presence-room-*\n',
      );
    }, 300_000);

    it('adds and removes members, lists memberships, and shows the grants that reach a user', async () => {
      expect(await cli('groups', 'add', 'support', 'alice')).toEqual({
        code: 0,
        stdout: '',
        stderr: 'added user "alice" to group "support"\n',
      });
      expect((await cli('groups', 'add', 'support', 'alice')).stderr).toBe(
        'user "alice" is already in group "support"\n',
      );
      // Not refused (claims users have no record), but pointed out.
      const unknown = await cli('groups', 'add', 'support', 'zed');
      expect(unknown.code).toBe(0);
      expect(unknown.stderr).toContain(
        'note: there is no user "zed" in the directory',
      );

      expect((await cli('groups', 'list')).stdout).toBe(
        'support alice\nsupport zed\n',
      );
      expect((await cli('groups', 'list', '--user', 'alice')).stdout).toBe(
        'support alice\n',
      );
      expect((await cli('grants', '--user', 'alice')).stdout).toBe(
        'group support presence-room-*\nuser alice private-project-{id}\n',
      );
      expect((await cli('grants', '--user', 'bob')).stdout).toBe('');

      expect(await cli('groups', 'remove', 'support', 'zed')).toEqual({
        code: 0,
        stdout: '',
        stderr: 'removed user "zed" from group "support"\n',
      });
      expect(await cli('groups', 'remove', 'support', 'zed')).toEqual({
        code: 1,
        stdout: '',
        stderr: 'pusher-auth: user "zed" is not in group "support"\n',
      });
    }, 300_000);

    it('revokes a grant, and refuses one that is not there with exit code 1', async () => {
      expect(
        (await cli('revoke', 'group', 'admins', 'private-admin-*')).stderr,
      ).toBe('revoked "private-admin-*" from group "admins"\n');
      expect(await cli('revoke', 'group', 'admins', 'private-admin-*')).toEqual(
        {
          code: 1,
          stdout: '',
          stderr:
            'pusher-auth: group "admins" has no grant of "private-admin-*"\n',
        },
      );
      expect((await cli('grants', '--group', 'admins')).stdout).toBe('');
    }, 300_000);

    it('refuses to write grants when DIRECTORY_USER_QUERY is set, with exit code 2', async () => {
      const { code, stderr } = await directoryCli(
        storage.url,
        ['grant', 'user', 'alice', 'private-x'],
        {},
        {
          DIRECTORY_USER_QUERY:
            'SELECT user_info FROM directory_users WHERE id = $1',
        },
      );
      expect(code).toBe(2);
      expect(stderr).toContain('DIRECTORY_USER_QUERY is set');
    });
  },
);
