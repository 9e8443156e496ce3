import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_COMPILED, directoryCli, runCli } from '../helpers/cli-process';
import { expectCliRefused, expectImportRefused } from '../helpers/cli-refusals';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';

const jsonl = (...records: unknown[]) =>
  records.map((record) => JSON.stringify(record)).join('\n') + '\n';

describe('the directory CLI without a database', () => {
  beforeAll(() => {
    if (!existsSync(CLI_COMPILED)) {
      throw new Error(
        `${CLI_COMPILED} is missing: run "npm run build" (npm test does it first)`,
      );
    }
  });

  it('prints help naming every command, DIRECTORY_URL and the exit codes', async () => {
    const { code, stdout } = await runCli(['directory', '--help'], {});
    expect(code).toBe(0);
    for (const command of [
      'upsert',
      'remove',
      'get',
      'list',
      'import',
      'export',
    ]) {
      expect(stdout).toContain(command);
    }
    expect(stdout).toContain('DIRECTORY_URL');
    expect(stdout).toMatch(/Exit codes/);
  });

  it('answers an unknown command with exit code 2 and a usage hint', async () => {
    const { code, stderr } = await runCli(['directory', 'frobnicate'], {});
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('reports an unreachable PostgreSQL in one line with exit code 3, without the password', async () => {
    const { code, stderr } = await directoryCli(
      'postgres://postgres:hunter2@127.0.0.1:1/none',
      ['list'],
    );
    expect(code).toBe(3);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /the user directory \(DIRECTORY_URL\) is unreachable/,
    );
    expect(stderr).not.toContain('hunter2');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses invalid settings with exit code 2, naming them', async () => {
    const { code, stderr } = await runCli(['directory', 'list'], {
      DIRECTORY_URL: 'mysql://nope',
      WATCHLIST_MAX: 'lots',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('WATCHLIST_MAX');
  });
});

describe.each(STORAGE_BACKENDS)(
  'the directory CLI on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let workDir: string;
    const cli = (...args: string[]) =>
      directoryCli(storage.url, args, { cwd: workDir });
    const file = (name: string, content?: string) => {
      const path = join(workDir, name);
      if (content !== undefined) writeFileSync(path, content);
      return path;
    };

    beforeAll(async () => {
      storage = await openStorage();
      workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-cli-'));
    });

    afterAll(async () => {
      rmSync(workDir, { recursive: true, force: true });
      await storage?.cleanup();
    });

    it('creates, reads, changes and removes a user, with only DIRECTORY_URL set', async () => {
      const created = await cli(
        'upsert',
        'alice',
        '--info',
        '{"name":"Alice"}',
        '--watchlist',
        'bob,carol',
      );
      expect(created).toMatchObject({
        code: 0,
        stderr: 'created user "alice"\n',
      });

      const got = await cli('get', 'alice');
      expect(got.code).toBe(0);
      expect(JSON.parse(got.stdout)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
        watchlist: ['bob', 'carol'],
      });

      // An option left out keeps what is stored.
      expect((await cli('upsert', 'alice', '--watchlist', 'dave')).stderr).toBe(
        'updated user "alice"\n',
      );
      expect(JSON.parse((await cli('get', 'alice')).stdout)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
        watchlist: ['dave'],
      });
      await cli('upsert', 'alice', '--info', 'null', '--watchlist', '');
      expect(JSON.parse((await cli('get', 'alice')).stdout)).toEqual({
        id: 'alice',
        user_info: null,
        watchlist: [],
      });

      expect(await cli('remove', 'alice')).toMatchObject({
        code: 0,
        stderr: 'removed user "alice"\n',
      });
      const gone = await cli('get', 'alice');
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe('pusher-auth: no user "alice"\n');
      expect((await cli('remove', 'alice')).code).toBe(1);
      // Eight CLI processes, each a Node start-up: on a loaded 2-core machine that alone can
      // take most of the default 30 s.
    }, 120_000);

    it('refuses a record that breaks the user rules, with exit code 1, and stores nothing', async () => {
      const notAnObject = await cli('upsert', 'mallory', '--info', '[1,2]');
      expectCliRefused(notAnObject, 'user_info must be a JSON object');
      const badJson = await cli('upsert', 'mallory', '--info', '{name:');
      expect(badJson).toMatchObject({
        code: 1,
        stderr: 'pusher-auth: --info is not valid JSON\n',
      });
      const badWatch = await cli(
        'upsert',
        'mallory',
        '--watchlist',
        'ok,not ok',
      );
      expectCliRefused(badWatch, 'watchlist entries must be valid user ids');
      const badId = await cli('upsert', 'mal/lory');
      expect(badId.code).toBe(1);
      expect((await cli('get', 'mallory')).code).toBe(1);
    });

    it('imports, and exports exactly what it imported: export → import elsewhere → export is identical', async () => {
      const source = file(
        'source.jsonl',
        jsonl(
          {
            id: 'carol',
            user_info: { name: 'Carol', tags: ['a', 'b'] },
            watchlist: ['alice', 'bob'],
          },
          { id: 'bob', user_info: null, watchlist: [] },
          {
            id: 'alice',
            user_info: { name: 'Alice', ü: 'ünïcode ✓' },
            watchlist: ['zed', 'carol', 'bob'],
          },
          { id: 'dave' },
        ),
      );
      const imported = await cli('import', source);
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(
        /^imported 4 users in [\d.]+ s \(\d+ users\/s\)\n$/,
      );

      const first = await cli('export', file('first.jsonl'));
      expect(first).toMatchObject({
        code: 0,
        stderr: `exported 4 users to ${file('first.jsonl')}\n`,
      });
      const firstText = readFileSync(file('first.jsonl'), 'utf8');
      expect(
        firstText
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { id: string }).id),
      ).toEqual(['alice', 'bob', 'carol', 'dave']);
      expect(JSON.parse(firstText.split('\n')[0])).toEqual({
        id: 'alice',
        user_info: { name: 'Alice', ü: 'ünïcode ✓' },
        watchlist: ['zed', 'carol', 'bob'],
      });

      // Into a fresh directory of the same kind, then out again.
      const other = await openStorage();
      try {
        expect(
          (await directoryCli(other.url, ['import', file('first.jsonl')])).code,
        ).toBe(0);
        const second = await directoryCli(other.url, ['export']);
        expect(second.code).toBe(0);
        expect(second.stdout).toBe(firstText);
      } finally {
        await other.cleanup();
      }
    });

    it('imports idempotently: the same file twice leaves the same directory', async () => {
      const before = (await cli('export')).stdout;
      expect((await cli('import', file('first.jsonl'))).code).toBe(0);
      expect((await cli('import', file('first.jsonl'))).code).toBe(0);
      expect((await cli('export')).stdout).toBe(before);
    });

    it('rejects a file with bad lines, naming each by number, and writes nothing', async () => {
      const before = (await cli('export')).stdout;
      const bad = file(
        'bad.jsonl',
        [
          JSON.stringify({ id: 'erin', user_info: { name: 'Erin' } }),
          '{"id": "frank", "user_info": ',
          JSON.stringify({ id: 'grace', user_info: 'not an object' }),
          '',
          JSON.stringify({ id: 'erin', watchlist: [] }),
          JSON.stringify({ id: 'heidi', userinfo: {} }),
          JSON.stringify({
            id: 'ivan',
            watchlist: Array.from({ length: 101 }, (_, n) => `u${n}`),
          }),
          JSON.stringify({ id: 'bad id', user_info: null }),
          // A line that is fine on its own: still not written, since the file is all or nothing.
          JSON.stringify({ id: 'alice', user_info: { name: 'Changed' } }),
        ].join('\n'),
      );
      const result = await cli('import', bad);
      expectImportRefused(result, bad, [
        'line 2: not valid JSON',
        'line 3: user_info must be a JSON object',
        'line 5: id "erin" is already on line 1',
        'line 6: unknown field "userinfo"',
        'line 7: watchlist must have at most 100 entries (has 101)',
        'line 8: id must be 1-128 characters of A-Z a-z 0-9 _ - = @ , . ; (not "." or "..")',
      ]);
      expect((await cli('export')).stdout).toBe(before);
    });

    it('checks a file without writing it with --dry-run', async () => {
      const before = (await cli('export')).stdout;
      const result = await cli(
        'import',
        '--dry-run',
        file('dry.jsonl', jsonl({ id: 'judy', user_info: { name: 'Judy' } })),
      );
      expect(result).toMatchObject({
        code: 0,
        stderr: '1 users checked, all valid; nothing written (--dry-run)\n',
      });
      expect((await cli('export')).stdout).toBe(before);
    });

    it('imports a few thousand users in one go and lists them', async () => {
      const count = 3_000;
      const records = Array.from({ length: count }, (_, n) => ({
        id: `bulk-${String(n).padStart(5, '0')}`,
        user_info: { name: `Bulk ${n}` },
        watchlist: [`bulk-${String((n + 1) % count).padStart(5, '0')}`],
      }));
      expect(
        (await cli('import', file('bulk.jsonl', jsonl(...records)))).code,
      ).toBe(0);
      const listed = await cli('list');
      expect(listed.code).toBe(0);
      const ids = listed.stdout.trim().split('\n');
      expect(ids.filter((id) => id.startsWith('bulk-'))).toEqual(
        records.map((record) => record.id),
      );
      expect(JSON.parse((await cli('get', 'bulk-02999')).stdout)).toEqual(
        records[2999],
      );
    });

    it('exports CSV with JSON cells, quoting ids that contain commas', async () => {
      await cli('upsert', 'comma,id', '--info', '{"name":"Quote \\"me\\""}');
      const { code, stdout } = await cli('export', '--format', 'csv');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe('id,user_info,watchlist');
      expect(lines).toContain(
        '"comma,id","{""name"":""Quote \\""me\\""""}",[]',
      );
      expect(lines).toContain('bob,,[]');
    });

    it('reads DIRECTORY_URL from .env in the working directory', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-cli-env-'));
      try {
        writeFileSync(join(dir, '.env'), `DIRECTORY_URL=${storage.url}\n`);
        const { code, stdout } = await runCli(
          ['directory', 'get', 'bob'],
          {},
          { cwd: dir },
        );
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual({
          id: 'bob',
          user_info: null,
          watchlist: [],
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses to write when DIRECTORY_USER_QUERY points the service at other tables', async () => {
      const { code, stderr } = await directoryCli(
        storage.url,
        ['upsert', 'kim'],
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
