import type { DestinationStream } from 'pino';
import type { AppConfig, LogFormat } from '../config/app-config';
import { bufferedStdout } from './root-logger';

/**
 * Longest the start-up lines are held back for the demo banner: a start that stalls (storage
 * out of reach, retried) must not stay silent, but a slow one on a busy machine (several
 * seconds) still prints the banner first.
 */
const HOLD_AT_MOST_MS = 15_000;

/** The service's log on stdout, as main.ts opens it. */
export interface StdoutLog {
  /** What the root logger writes to (createApp's `logStream`). */
  readonly destination: DestinationStream;
  /** Ends the hold (`openStdoutLog`): the lines kept until now are written. */
  release(): void;
}

/**
 * LOG_FORMAT's `auto`: lines for people only when a person is reading, that is stdout is a
 * terminal, and never in production (where a terminal may still be a log collector's pty).
 */
export function chosenLogFormat(
  format: LogFormat,
  stdoutIsTerminal: boolean,
  production: boolean,
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return stdoutIsTerminal && !production ? 'pretty' : 'json';
}

/**
 * stdout's log destination in the chosen format. JSON lines go to the batch exactly as before;
 * the formatter for people is loaded only when chosen. With `hold`, nothing is written until
 * `release` (or HOLD_AT_MOST_MS): main prints the demo banner first.
 */
export async function openStdoutLog(
  config: AppConfig,
  options: { hold: boolean },
): Promise<StdoutLog> {
  const batch = bufferedStdout();
  if (options.hold) {
    batch.hold();
    setTimeout(() => batch.release(), HOLD_AT_MOST_MS).unref();
  }
  const release = () => batch.release();
  const format = chosenLogFormat(
    config.logFormat,
    process.stdout.isTTY === true,
    config.production,
  );
  if (format === 'json') return { destination: batch, release };
  const { PrettyLines, coloursWanted } = await import('./pretty-lines.js');
  const colours = coloursWanted(process.stdout, process.env);
  return { destination: new PrettyLines(batch, { colours }), release };
}
