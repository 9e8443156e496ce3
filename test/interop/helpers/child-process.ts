import { ChildProcess, spawn } from 'node:child_process';

/** Output is kept (bounded) so a failure can show what the process said. */
const MAX_OUTPUT_CHARS = 64_000;

export interface StartedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

/**
 * Spawns `node <script> …args` and resolves once its output matches `ready`. A process that exits
 * first, or stays silent past `timeoutMs`, is killed and the promise rejects with its output.
 * `node` defaults to the Node running the suite.
 */
export function startNodeProcess(options: {
  name: string;
  script: string;
  args?: string[];
  cwd: string;
  env: Record<string, string>;
  ready: RegExp;
  timeoutMs?: number;
  node?: string;
}): Promise<{ process: StartedProcess; match: RegExpMatchArray }> {
  const { name, script, args = [], cwd, env, ready } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const { PATH = '', HOME = '' } = process.env;
  const child = spawn(options.node ?? process.execPath, [script, ...args], {
    cwd,
    // Only what is given: no developer settings (or SOKETI_*, PUSHER_* variables) leak in.
    env: { PATH, HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let isReady = false;
  const started: StartedProcess = { name, child, output: () => output };
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${reason}:\n${output}`));
    };
    const timer = setTimeout(
      () => fail(`did not print ${ready} within ${timeoutMs} ms`),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-MAX_OUTPUT_CHARS);
      const match = output.match(ready);
      if (match && !isReady) {
        isReady = true;
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve({ process: started, match });
      }
    };
    const onEarlyExit = (code: number | null) =>
      fail(`exited (${code}) before it was ready`);
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
  });
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export function stopProcess(
  child: ChildProcess,
  graceMs = 5_000,
): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
