import type { DestinationStream } from 'pino';
import { escapeForLog } from './log-escape';

/**
 * LOG_FORMAT=pretty: the finished JSON lines (already scrubbed of secrets, cut and escaped by the
 * root logger and the request line) rewritten for a person at a terminal, one line each:
 *
 *   12:04:05.123 INFO  [Bootstrap] listening on 0.0.0.0:3000  key=value …
 *   12:04:06.456 INFO  POST /pusher/user-auth 200 3.1 ms  outcome=signed userId=alice …
 *
 * Loaded only when pretty lines are chosen (stdout-log.ts): the JSON path never runs it.
 */
export interface PrettyOptions {
  /** ANSI colours (see `coloursWanted`). */
  readonly colours: boolean;
}

/** Where the formatted text goes: the same batch the JSON lines would go to. */
export interface TextSink {
  write(text: string): unknown;
}

/** A pino destination that formats each line before handing it on. */
export class PrettyLines implements DestinationStream {
  constructor(
    private readonly sink: TextSink,
    private readonly options: PrettyOptions,
  ) {}

  write(line: string): void {
    this.sink.write(prettyLines(line, this.options));
  }
}

/**
 * Colours only for a terminal that shows them (Node's `hasColors` reads TERM, FORCE_COLOR and
 * NO_COLOR) and never with NO_COLOR set (https://no-color.org), whatever the stream claims.
 */
export function coloursWanted(
  stream: { hasColors?: () => boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  return env.NO_COLOR === undefined && stream.hasColors?.() === true;
}

/** Every line of `text` formatted, each ending with a line break. */
export function prettyLines(text: string, options: PrettyOptions): string {
  let out = '';
  for (const line of text.split('\n')) {
    if (line !== '') out += `${prettyLine(line, options)}\n`;
  }
  return out;
}

/** The fields every line carries, or that the head of the line already shows. */
const SHOWN_ELSEWHERE = new Set([
  'level',
  'time',
  'msg',
  'service',
  'pid',
  'hostname',
  'context',
  'err',
]);
/** A request line's fields in its head (`endpoint` is the route pattern of the path shown). */
const REQUEST_HEAD = new Set([
  'method',
  'url',
  'statusCode',
  'durationMs',
  'endpoint',
]);

const ANSI = {
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;
type Colour = keyof typeof ANSI;

const LEVEL_COLOURS: Record<string, Colour> = {
  trace: 'dim',
  debug: 'blue',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'magenta',
};

/**
 * One line for people. JSON.parse turns a `\u001b` escape back into ESC, so every value printed
 * goes through escapeForLog again: no control character, bidi override or line separator a
 * caller put in a path, header or user id reaches the terminal as is. Text that is not a JSON
 * object (nothing of ours writes one, but a line must never be lost) is printed escaped.
 */
export function prettyLine(line: string, options: PrettyOptions): string {
  const entry = parsedObject(line);
  if (entry === undefined) return escapeForLog(line);
  const paint = (colour: Colour, text: string) =>
    options.colours ? `${ANSI[colour]}${text}${ANSI.reset}` : text;

  const level = typeof entry.level === 'string' ? entry.level : 'info';
  const parts = [
    paint('dim', clockTime(entry.time)),
    paint(
      LEVEL_COLOURS[level] ?? 'reset',
      shown(level.toUpperCase()).padEnd(5),
    ),
  ];
  if (entry.context !== undefined)
    parts.push(paint('cyan', `[${shown(entry.context)}]`));
  const request = isRequestLine(entry);
  if (request) {
    parts.push(
      `${shown(entry.method)} ${shown(entry.url)} ${paint(statusColour(entry.statusCode as number), String(entry.statusCode))} ${String(entry.durationMs)} ms`,
    );
  } else if (entry.msg !== undefined) {
    parts.push(shown(entry.msg));
  }
  let head = parts.join(' ');
  const fields = Object.entries(entry)
    .filter(
      ([key]) =>
        !SHOWN_ELSEWHERE.has(key) && !(request && REQUEST_HEAD.has(key)),
    )
    // The request id is long and read least: last, where it is found when needed.
    .sort(([a], [b]) => Number(a === 'requestId') - Number(b === 'requestId'))
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  if (fields.length > 0) head += `  ${paint('dim', fields.join(' '))}`;
  return head + errorLines(entry.err, paint);
}

function parsedObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `HH:MM:SS.mmm` in local time: what the clock beside the terminal says. */
function clockTime(time: unknown): string {
  const date =
    typeof time === 'string' || typeof time === 'number'
      ? new Date(time)
      : new Date();
  if (Number.isNaN(date.getTime())) return escapeForLog(String(time));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function isRequestLine(entry: Record<string, unknown>): boolean {
  return (
    typeof entry.method === 'string' &&
    typeof entry.url === 'string' &&
    typeof entry.statusCode === 'number' &&
    typeof entry.durationMs === 'number'
  );
}

function statusColour(status: number): Colour {
  if (status >= 500) return 'red';
  if (status >= 400) return 'yellow';
  return 'green';
}

/** A value in running text: strings as they are, anything else as compact JSON; escaped. */
function shown(value: unknown): string {
  return escapeForLog(
    typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
  );
}

/** A `key=value` field's value: quoted when it would not read as one word. */
function fieldValue(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"=]+$/.test(value))
    return escapeForLog(value);
  return escapeForLog(JSON.stringify(value) ?? '');
}

/**
 * An error's stack (which starts with its type and message) on the lines below, indented, each
 * line escaped on its own; an error without a stack is a compact field.
 */
function errorLines(
  err: unknown,
  paint: (colour: Colour, text: string) => string,
): string {
  if (err === undefined) return '';
  const stack =
    typeof err === 'object' && err !== null
      ? (err as { stack?: unknown }).stack
      : undefined;
  if (typeof stack !== 'string') return `  err=${fieldValue(err)}`;
  // What the stack does not say (a `code`, a cause) stays, as a field.
  const rest = Object.entries(err as Record<string, unknown>).filter(
    ([key]) => !['type', 'message', 'stack'].includes(key),
  );
  const more =
    rest.length > 0 ? `  err=${fieldValue(Object.fromEntries(rest))}` : '';
  return (
    more +
    stack
      .split('\n')
      .map((line) => `\n    ${paint('red', escapeForLog(line))}`)
      .join('')
  );
}
