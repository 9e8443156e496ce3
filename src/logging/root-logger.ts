import { hostname } from 'node:os';
import pino, { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import {
  createScrubber,
  redactNested,
  redactPaths,
  sensitiveKeys,
} from './redaction';
import { LineBatch } from './line-batch';
import { truncateForLog } from './truncate';

/** The root logger, and what the request line (request-log-line.ts) writes beside it. */
export interface RootLog {
  logger: Logger;
  /** Where the logger writes its lines. */
  destination: DestinationStream;
  /** The fields every line of the logger carries, after its level and time. */
  base: Record<string, string | number>;
}

/**
 * The application's one pino logger: Fastify's request logger, and (through PinoNestLogger) where
 * every Nest `Logger` call lands. JSON lines on stdout unless a stream is given (tests).
 */
export function createRootLogger(
  config: AppConfig,
  destination?: DestinationStream,
): Logger {
  return createRootLog(config, destination).logger;
}

/** The root logger with its destination and base fields (see RootLog). */
export function createRootLog(
  config: AppConfig,
  destination: DestinationStream = bufferedStdout(),
): RootLog {
  const base = {
    service: 'pusher-auth',
    pid: process.pid,
    hostname: hostname(),
  };
  const scrub = createScrubber(secretsOf(config));
  const safeText = scrubbedAndCut(scrub);
  const keys = sensitiveKeys(config.logSafety.credentialParameters);
  const scrubValue = (value: unknown): unknown => {
    // Every string field is cut to LOG_VALUE_MAX_CHARS: most carry something a caller chose.
    if (typeof value === 'string') return safeText(value);
    if (value instanceof Error) {
      const serialized = pino.stdSerializers.err(value);
      return {
        ...serialized,
        message: scrub(serialized.message),
        stack: scrub(serialized.stack),
      };
    }
    if (isPlainObject(value)) return redactNested(value, keys);
    return value;
  };
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      // Errors are serialised (and scrubbed) by formatters.log below, which pino runs first.
      err: (value: unknown) =>
        value instanceof Error ? pino.stdSerializers.err(value) : value,
    },
    redact: { paths: redactPaths(keys), censor: '[Redacted]' },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) =>
        Object.fromEntries(
          Object.entries(object).map(([key, value]) => [
            key,
            scrubValue(value),
          ]),
        ),
    },
    hooks: {
      // Messages and format arguments are strings that no `redact` path reaches.
      logMethod(args, method) {
        const scrubbed = args.map((arg) =>
          typeof arg === 'string' ? scrub(arg) : arg,
        );
        // Without a message pino takes the error's, after this hook: give it the scrubbed one.
        const message = args.length === 1 ? errorMessageOf(args[0]) : undefined;
        if (message !== undefined) scrubbed.push(scrub(message));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return { logger: pino(options, destination), destination, base };
}

/** Lines are written in batches of this many characters, or every LOG_FLUSH_INTERVAL_MS. */
const LOG_BATCH_CHARS = 8 * 1024;
const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * One write(2) per request line cost about 5% of the CPU in the benchmark's profile; batched
 * writes cost a fraction, and a line still appears within a quarter of a second. Each batch is
 * written synchronously (pino's default): an asynchronous write keeps its batch as a Buffer until
 * the write's request object is collected, and on Node 24 those outlived scavenges and held about
 * 12 MB at peak (main row 174-181 against 189-192 MB RSS, docs/performance.md, "Round five").
 * What is pending is written when the process exits (`exit` handlers run synchronously, so
 * nothing is lost on `process.exit` or after the graceful shutdown).
 */
export function bufferedStdout(): LineBatch {
  const batch = new LineBatch(
    pino.destination({ dest: 1, sync: true }),
    LOG_BATCH_CHARS,
  );
  setInterval(() => batch.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  flushedAtExit(batch);
  return batch;
}

/** Every batch, flushed by one `exit` listener (the e2e tests build many apps in one process). */
const batchesAtExit: LineBatch[] = [];

function flushedAtExit(batch: LineBatch): void {
  if (batchesAtExit.length === 0) {
    process.once('exit', () => {
      for (const pending of batchesAtExit) pending.flushSync();
    });
  }
  batchesAtExit.push(batch);
}

/**
 * What every string field of a log line goes through: configured secrets and token-shaped text
 * replaced, then cut to LOG_VALUE_MAX_CHARS (the request line writes its fields with it).
 */
export function safeLogText(config: AppConfig): (text: string) => string {
  return scrubbedAndCut(createScrubber(secretsOf(config)));
}

/** Configured secrets replaced, nothing cut: for the one line a failed start prints. */
export function secretScrubber(config: AppConfig): (text: string) => string {
  return createScrubber(secretsOf(config));
}

function scrubbedAndCut(
  scrub: (text: string) => string,
): (text: string) => string {
  return (text) => truncateForLog(scrub(text));
}

/** The message pino would log for a lone error, or an object holding one as `err`. */
function errorMessageOf(arg: unknown): string | undefined {
  if (arg instanceof Error) return arg.message;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { err, msg } = arg as { err?: unknown; msg?: unknown };
  return err instanceof Error && msg === undefined ? err.message : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Configured secret values, searched for in every logged string: the apps' own, the storage
 * passwords, and what each enabled strategy and channel check names as its secrets.
 */
function secretsOf(config: AppConfig): (string | undefined)[] {
  return [
    ...config.apps.flatMap((app) => [
      app.secret,
      app.encryptionMasterKeyBase64,
    ]),
    ...config.logSafety.secrets,
    passwordIn(config.directory.url),
    passwordIn(config.rateLimit.redisUrl),
    passwordIn(config.channels.dataUrl),
  ];
}

function passwordIn(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
