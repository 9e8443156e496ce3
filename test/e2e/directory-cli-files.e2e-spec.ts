import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteFileFromUrl } from '../../src/directory/backends/directory-connection';
import { CLI_COMPILED, directoryCli } from '../helpers/cli-process';
import { expectCliRefused, expectImportRefused } from '../helpers/cli-refusals';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';

const jsonl = (...records: unknown[]) =>
  records.map((record) => JSON.stringify(record)).join('\n') + '\n';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** The files the directory CLI reads and writes, given what an attacker or an accident gives it. */
describe.each(STORAGE_BACKENDS)(
  'the directory CLI’s files on %s',
  (backend, openStorage) => {
    let storage: TestStorage;
    let workDir: string;
    const cli = (...args: string[]) =>
      directoryCli(storage.url, args, { cwd: workDir });
    const path = (name: string) => join(workDir, name);
    const exported = async () => (await cli('export')).stdout;

    beforeAll(async () => {
      if (!existsSync(CLI_COMPILED)) {
        throw new Error(`${CLI_COMPILED} is missing: run "npm run build"`);
      }
      storage = await openStorage();
      workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-cli-files-'));
      expect(
        (await cli('upsert', 'alice', '--info', '{"name":"Alice"}')).code,
      ).toBe(0);
    }, 120_000);

    afterAll(async () => {
      rmSync(workDir, { recursive: true, force: true });
      await storage?.cleanup();
    });

    it('refuses text PostgreSQL cannot store (lone surrogates, NUL) as bad lines, and imports nothing', async () => {
      const before = await exported();
      const file = path('unstorable.jsonl');
      writeFileSync(
        file,
        [
          '{"id":"s1","user_info":{"name":"\\ud800"}}',
          '{"id":"s2","user_info":{"a\\u0000b":1}}',
          '{"id":"s3","user_info":{"tags":["ok","\\udfff"]}}',
          '{"id":"s4","user_info":{"emoji":"\\ud83d\\ude00"}}',
        ].join('\n'),
      );
      const result = await cli('import', file);
      const rule =
        'user_info text must be valid Unicode without NUL characters (no lone \\ud800-\\udfff or \\u0000 escapes)';
      expectImportRefused(result, file, [
        `line 1: ${rule}`,
        `line 2: ${rule}`,
        `line 3: ${rule}`,
      ]);
      expect(await exported()).toBe(before);
    });

    if (backend !== 'SQLite file') return;
    // The rest reads and writes files only: one backend is enough.

    it('reports invalid UTF-8 as a bad line, by number, and imports nothing', async () => {
      const before = await exported();
      const file = path('latin1.jsonl');
      const line = (text: string) => Buffer.from(`${text}\n`, 'utf8');
      writeFileSync(
        file,
        Buffer.concat([
          line('{"id":"u1","user_info":{"name":"fine ✓"}}'),
          // Latin-1 "é", an overlong "/", and a UTF-8-encoded lone surrogate (CESU-8).
          Buffer.from('{"id":"u2","user_info":{"name":"Ren\xe9"}}\n', 'latin1'),
          Buffer.concat([
            Buffer.from('{"id":"u3","user_info":{"p":"'),
            Buffer.from([0xc0, 0xaf]),
            Buffer.from('"}}\n'),
          ]),
          Buffer.concat([
            Buffer.from('{"id":"u4","user_info":{"n":"'),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from('"}}\n'),
          ]),
          line('{"id":"u5"}'),
        ]),
      );
      const result = await cli('import', file);
      expectImportRefused(result, file, [
        'line 2: not valid UTF-8',
        'line 3: not valid UTF-8',
        'line 4: not valid UTF-8',
      ]);
      expect(result.stderr).not.toContain('\ufffd');
      expect(await exported()).toBe(before);
    });

    it('refuses a line longer than any record can be in one line, exit code 2, and imports nothing', async () => {
      const before = await exported();
      const file = path('long.jsonl');
      writeFileSync(
        file,
        jsonl({ id: 'l1' }) +
          JSON.stringify({ id: 'l2', user_info: { bio: 'x'.repeat(300_000) } }),
      );
      const result = await cli('import', file);
      expect(result).toMatchObject({
        code: 2,
        stderr: `pusher-auth: line 2 of ${file} is longer than 256 KiB, more than any user record can be (is it JSON Lines?): nothing was imported\n`,
      });
      expect(await exported()).toBe(before);
    });

    it('echoes text from a file or the database with its controls and bidi overrides escaped', async () => {
      const file = path('hostile-keys.jsonl');
      writeFileSync(file, '{"id":"k1","us\u202eer_info":{},"x\\u001b[2J":1}\n');
      const result = await cli('import', file);
      expectCliRefused(
        result,
        'line 1: unknown fields "us\\u202eer_info", "x\\u001b[2J"\n',
      );

      // Rows any database user could write, past the CLI's checks.
      const db = new Database(sqliteFileFromUrl(storage.url));
      try {
        db.prepare('INSERT INTO directory_users (id) VALUES (?), (?)').run(
          'evil\u202egnp.exe',
          'two\nlines',
        );
      } finally {
        db.close();
      }
      const listed = await cli('list');
      expect(listed.stdout.split('\n')).toEqual(
        expect.arrayContaining(['evil\\u202egnp.exe', 'two\\u000alines']),
      );
      expect(listed.stdout).not.toMatch(/[\u202e\u2028]/);
      const missing = await cli('get', 'no\u202ebody');
      expect(missing.stderr).toBe('pusher-auth: no user "no\\u202ebody"\n');
      // Gone again, so the exports the other tests compare stay as they were.
      const cleanup = new Database(sqliteFileFromUrl(storage.url));
      cleanup.exec(
        "DELETE FROM directory_users WHERE id LIKE 'evil%' OR id LIKE 'two%'",
      );
      cleanup.close();
    });

    it('refuses a 600 MB file with no line break without reading it whole', async () => {
      const file = path('huge.bin');
      // Sparse: 600 MB of NUL bytes that take no disk, and no newline anywhere.
      writeFileSync(file, '{"id":"h1","user_info":{"bio":"');
      truncateSync(file, 600 * 1024 * 1024);
      const started = Date.now();
      const result = await cli('import', '--dry-run', file);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `pusher-auth: line 1 of ${file} is longer than 256 KiB, more than any user record can be (is it JSON Lines?): nothing was imported\n`,
      );
      // It stops at the limit: well under the time to read (let alone hold) 600 MB.
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('drops repeated watchlist ids and the user’s own, says so per line, and stores what is signed', async () => {
      const file = path('repeats.jsonl');
      writeFileSync(
        file,
        jsonl(
          { id: 'w1', watchlist: ['bob', 'w1', 'bob', 'carol'] },
          { id: 'w2', watchlist: ['bob'] },
        ),
      );
      const result = await directoryCli(
        storage.url,
        ['import', file],
        {},
        // Four entries, two once cleaned: within the limit.
        { WATCHLIST_MAX: '2' },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        "line 1: warning: dropped 2 watchlist entries (repeated ids, or the user's own id)\n",
      );
      expect(result.stderr).not.toContain('line 2');
      expect(JSON.parse((await cli('get', 'w1')).stdout)).toEqual({
        id: 'w1',
        user_info: null,
        watchlist: ['bob', 'carol'],
      });
      const upsert = await cli('upsert', 'w2', '--watchlist', 'w2,dan,dan');
      expect(upsert.stderr).toBe(
        'updated user "w2"\nwarning: dropped 2 watchlist entries (repeated ids, or the user\'s own id)\n',
      );
      expect(JSON.parse((await cli('get', 'w2')).stdout).watchlist).toEqual([
        'dan',
      ]);
    });

    it('writes an export readable by its owner alone, and refuses an existing file without --force', async () => {
      const file = path('users.jsonl');
      const first = await cli('export', file);
      expect(first.code).toBe(0);
      expect(modeOf(file)).toBe(0o600);
      const content = readFileSync(file, 'utf8');
      expect(content).toContain('"Alice"');

      // Someone's file, world-readable: left exactly as it was.
      writeFileSync(file, 'not an export\n', { mode: 0o644 });
      const refused = await cli('export', file);
      expect(refused).toMatchObject({
        code: 2,
        stderr: `pusher-auth: ${file} already exists: nothing was exported (--force replaces it)\n`,
      });
      expect(readFileSync(file, 'utf8')).toBe('not an export\n');

      const forced = await cli('export', '--force', file);
      expect(forced.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(modeOf(file)).toBe(0o600);
      // Nothing left beside it.
      expect(
        readdirSync(workDir).filter((name) => name.includes('partial')),
      ).toEqual([]);
    });

    it('refuses a symlink at the destination without --force, and never writes through it', async () => {
      const target = path('elsewhere.txt');
      writeFileSync(target, 'precious\n');
      const link = path('linked.jsonl');
      symlinkSync(target, link);
      const dangling = path('dangling.jsonl');
      symlinkSync(path('missing.txt'), dangling);

      for (const destination of [link, dangling]) {
        const refused = await cli('export', destination);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('already exists');
      }
      expect(existsSync(path('missing.txt'))).toBe(false);

      expect((await cli('export', '--force', link)).code).toBe(0);
      expect(readFileSync(target, 'utf8')).toBe('precious\n');
      expect(modeOf(link)).toBe(0o600);
    });
  },
);
