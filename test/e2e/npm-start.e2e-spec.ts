import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../helpers/cli-process';
import { waitFor } from '../helpers/wait-for';

const execFileAsync = promisify(execFile);

/** `npm start` from the project root, as the README's first command runs it. */
describe('npm start when nothing changed since the last build', () => {
  let scratch: string;
  let npmStart: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'pusher-auth-npm-start-'));
    // Whatever the state of dist/, after this it is a build of the current sources.
    await execFileAsync(process.execPath, ['scripts/build-if-changed.js'], {
      cwd: PROJECT_ROOT,
      timeout: 240_000,
    });
  }, 300_000);

  afterAll(async () => {
    if (npmStart?.pid && npmStart.exitCode === null) {
      const exited = new Promise((resolve) => npmStart!.once('exit', resolve));
      // npm, its shell and the service share one process group.
      process.kill(-npmStart.pid, 'SIGTERM');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reuses the build and starts the service', async () => {
    const builtAt = statSync(join(PROJECT_ROOT, 'dist/main.js')).mtimeMs;
    const { PATH = '', HOME = '' } = process.env;
    npmStart = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      detached: true,
      env: {
        PATH,
        HOME,
        npm_config_update_notifier: 'false',
        // Beside a developer's own instance: another port, another directory.
        PORT: '0',
        HOST: '127.0.0.1',
        DIRECTORY_URL: `sqlite://${join(scratch, 'directory.db')}`,
      },
    });
    npmStart.stdout!.on(
      'data',
      (chunk: Buffer) => (output += chunk.toString()),
    );
    npmStart.stderr!.on(
      'data',
      (chunk: Buffer) => (output += chunk.toString()),
    );
    await waitFor(
      'npm start to listen',
      () => /listening on 127\.0\.0\.1:\d+/.test(output),
      60_000,
    );
    expect(output).toContain('dist/ is up to date with src/, not rebuilding');
    expect(statSync(join(PROJECT_ROOT, 'dist/main.js')).mtimeMs).toBe(builtAt);
  }, 180_000);
});
