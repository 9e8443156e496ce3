import { ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The compiled service (`npm test` builds it first), run as an operator would run it. */
export const SERVICE_ENTRY = resolve(__dirname, '../../dist/main.js');

/**
 * A fresh temporary working folder (named from `prefix`) for the compiled service, once `built`
 * is there: a missing build fails with the fix rather than a spawn error in every test.
 */
export function builtServiceWorkDir(
  prefix: string,
  built: string[] = [SERVICE_ENTRY],
): string {
  for (const entry of built) {
    if (!existsSync(entry)) {
      throw new Error(
        `${entry} is missing: run "npm run build" (npm test does it first)`,
      );
    }
  }
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * builtServiceWorkDir for a describe block: made before its tests, removed after them. The
 * answer reads the folder's path, which is there from the block's first hook or test on.
 */
export function useBuiltServiceWorkDir(
  prefix: string,
  built?: string[],
): () => string {
  let workDir: string | undefined;
  beforeAll(() => {
    workDir = builtServiceWorkDir(prefix, built);
  });
  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  return () => {
    if (!workDir)
      throw new Error('the working folder is made before the tests');
    return workDir;
  };
}

export interface Finished {
  code: number | null;
  output: string;
}

/** Environment without the developer's own settings leaking in. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const { PATH = '', HOME = '' } = process.env;
  return { PATH, HOME, ...env };
}

export function runServiceToExit(
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 60_000,
): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SERVICE_ENTRY], {
      cwd,
      env: cleanEnv(env),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`service did not exit within ${timeoutMs} ms:\n${output}`),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** A started service: its process, what it printed so far, and the `ready` match. */
export interface StartedService {
  child: ChildProcess;
  output: () => string;
  match: RegExpMatchArray;
}

/**
 * Resolves once `ready` matches what `child` printed (stdout and stderr, as `shown` presents it);
 * fails, with the output, when it exits first or `timeoutMs` passes (the child is then killed).
 */
export function untilReady(
  child: ChildProcess,
  ready: RegExp,
  timeoutMs: number,
  shown: (printed: string) => string = (printed) => printed,
): Promise<StartedService> {
  return new Promise((resolvePromise, reject) => {
    let printed = '';
    const output = () => shown(printed);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `service did not print ${ready} within ${timeoutMs} ms:\n${output()}`,
        ),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const match = output().match(ready);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, output, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `service exited with ${code} before it was ready:\n${output()}`,
        ),
      );
    });
  });
}

/** Starts the service and resolves once `ready` matches its output. */
export function startService(
  env: Record<string, string>,
  cwd: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<StartedService> {
  const child = spawn(process.execPath, [SERVICE_ENTRY], {
    cwd,
    env: cleanEnv(env),
  });
  return untilReady(child, ready, timeoutMs);
}

/**
 * Starts the service with stdout and stderr written straight to `logFile` (a file descriptor, as
 * a shell's `> service.log 2>&1` gives it: no pipe through this process), and resolves once
 * `ready` matches the file's contents.
 */
export async function startServiceLoggingTo(
  logFile: string,
  env: Record<string, string>,
  cwd: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [SERVICE_ENTRY], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = readFileSync(logFile, 'utf8').match(ready);
    if (match) return { child, match };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `service did not print ${ready} (exit code ${child.exitCode}):\n${readFileSync(logFile, 'utf8')}`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

export function stopService(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}
