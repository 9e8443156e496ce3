import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
/** The executable `npx pusher-auth` runs (package.json `bin`), which loads the compiled CLI. */
const CLI_BIN = resolve(
  ROOT,
  (
    JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    }
  ).bin['pusher-auth'],
);
const CLI_COMPILED = resolve(ROOT, 'dist/cli/main.js');

export interface CliResult {
  code: number | null;
  output: string;
}

/**
 * Runs `pusher-auth directory <args>` against `directoryUrl` in `cwd` (which has no `.env`) with
 * nothing but PATH, HOME, DIRECTORY_URL and NO_COLOR in its environment; resolves once it exits.
 */
export function runDirectoryCli(
  args: string[],
  directoryUrl: string,
  cwd: string,
  timeoutMs = 15_000,
): Promise<CliResult> {
  if (!existsSync(CLI_COMPILED)) {
    throw new Error(
      `${CLI_COMPILED} is missing: run "npm run build" (npm run test:interop does it first)`,
    );
  }
  const { PATH = '', HOME = '' } = process.env;
  const child = spawn(CLI_BIN, ['directory', ...args], {
    cwd,
    env: { PATH, HOME, DIRECTORY_URL: directoryUrl, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the directory CLI did not exit:\n${output}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}
