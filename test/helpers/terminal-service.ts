import { ChildProcess, spawn } from 'node:child_process';
import { SERVICE_ENTRY, untilReady } from './service-process';

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
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
    cwd,
    env: { PATH, HOME, ...env },
    // stdin stays an open pipe: at its end `script` would end the session.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A terminal ends lines with CR LF.
  return untilReady(child, ready, timeoutMs, (printed) =>
    printed.replaceAll('\r\n', '\n'),
  );
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
