import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CLI_BIN, CLI_COMPILED, PROJECT_ROOT } from '../helpers/cli-process';

const execFileAsync = promisify(execFile);

/**
 * `npx pusher-auth …` exactly as the README types it, from the project root. A fresh npm cache
 * makes npx link the package the way it does for a new user; the second call reuses that link,
 * which is where a bin inside dist/ failed after every build ("Permission denied").
 */
describe('npx pusher-auth', () => {
  let scratch: string;
  const npx = (args: string[], env: Record<string, string> = {}) => {
    const { PATH = '', HOME = '' } = process.env;
    return execFileAsync('npx', ['pusher-auth', ...args], {
      cwd: PROJECT_ROOT,
      env: {
        PATH,
        HOME,
        npm_config_cache: join(scratch, 'npm-cache'),
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
        ...env,
      },
      timeout: 60_000,
    });
  };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pusher-auth-npx-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('names a committed executable outside dist/, which builds recreate without an execute bit', async () => {
    expect(relative(PROJECT_ROOT, CLI_BIN)).toBe('bin/pusher-auth.js');
    expect(statSync(CLI_BIN).mode & 0o111).not.toBe(0);
    // The mode git records is what a fresh clone checks out.
    const { stdout } = await execFileAsync(
      'git',
      ['ls-files', '--stage', 'bin/pusher-auth.js'],
      { cwd: PROJECT_ROOT },
    );
    expect(stdout).toMatch(/^100755 /);
    expect(statSync(CLI_COMPILED).isFile()).toBe(true);
  });

  it('runs from the project root after a build, the first time and again', async () => {
    for (let run = 0; run < 2; run++) {
      const { stdout } = await npx(['directory', '--help']);
      expect(stdout).toContain('manage the user directory');
    }
  }, 180_000);

  it('writes and reads a user on the directory DIRECTORY_URL names', async () => {
    const url = `sqlite://${join(scratch, 'directory.db')}`;
    const created = await npx(
      ['directory', 'upsert', 'dora', '--info', '{"name":"Dora"}'],
      { DIRECTORY_URL: url },
    );
    expect(created.stderr).toContain('created user "dora"');
    const { stdout } = await npx(['directory', 'get', 'dora'], {
      DIRECTORY_URL: url,
    });
    expect(JSON.parse(stdout)).toEqual({
      id: 'dora',
      user_info: { name: 'Dora' },
      watchlist: [],
    });
  }, 180_000);
});
