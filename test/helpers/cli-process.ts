import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '../..');

/**
 * The executable package.json's `bin` names: the file `npx pusher-auth` links and runs, which
 * loads the compiled CLI (`npm test` builds it first). Spawned as an executable, never with
 * `node <file>`, so a missing execute bit or shebang fails here as it would for a user.
 */
export const CLI_BIN = resolve(
  PROJECT_ROOT,
  (
    JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    }
  ).bin['pusher-auth'],
);

/** What the bin loads; the tests need a build first. */
export const CLI_COMPILED = resolve(PROJECT_ROOT, 'dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Called with each stderr chunk as it arrives (to time what the CLI reports). */
  onStderr?: (chunk: string) => void;
  timeoutMs?: number;
}

/**
 * Runs `pusher-auth <args>` with only `env` (plus PATH/HOME): no Pusher or JWT settings leak
 * in, so a test also proves the CLI does not need them.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: CliOptions = {},
): Promise<CliResult> {
  const { PATH = '', HOME = '' } = process.env;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CLI_BIN, args, {
      cwd: options.cwd,
      env: { PATH, HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(chunk.toString());
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`pusher-auth ${args.join(' ')} ran over ${timeoutMs} ms`),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** `pusher-auth directory …` with DIRECTORY_URL set. */
export const directoryCli = (
  url: string,
  args: string[],
  options?: CliOptions,
  env: Record<string, string> = {},
) => runCli(['directory', ...args], { DIRECTORY_URL: url, ...env }, options);
