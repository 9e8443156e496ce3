import { ChildProcess, spawn } from 'node:child_process';
import { SERVICE_ENTRY } from './service-process';

/** util-linux `script`: runs a command with a pseudo-terminal as its stdin, stdout and stderr. */
const SCRIPT = '/usr/bin/script';

export interface TerminalService {
  /** `script`'s process; the service is its child, on the terminal. */
  child: ChildProcess;
  /** Everything the terminal showed so far, its CR LF line ends turned into LF. */
  output: () => string;
  match: RegExpMatchArray;
}

/** `text` quoted for the shell `script -c` runs the command with. */
const shellQuoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Starts the compiled service as a person would in a terminal (`script -qfec "node dist/main.js"
 * /dev/null`: stdout is a TTY, nothing is recorded to a file), with only `env` plus PATH and HOME,
 * and resolves once `ready` matches what the terminal showed.
 */
export function startServiceInTerminal(
  env: Record<string, string>,
  cwd: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<TerminalService> {
  const { PATH = '', HOME = '' } = process.env;
  const command = [process.execPath, SERVICE_ENTRY].map(shellQuoted).join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
      cwd,
      env: { PATH, HOME, ...env },
      // stdin stays an open pipe: at its end `script` would end the session.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const shown = () => output.replaceAll('\r\n', '\n');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `service did not show ${ready} within ${timeoutMs} ms:\n${shown()}`,
        ),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = shown().match(ready);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, output: shown, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `service exited with ${code} before it was ready:\n${shown()}`,
        ),
      );
    });
  });
}

/**
 * Ends the session: `script` is sent SIGTERM, and the service on the terminal it leaves gets the
 * terminal's hang-up. Resolves when `script` has exited.
 */
export function stopTerminalService(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}
