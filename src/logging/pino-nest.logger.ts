import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Nest's log methods and the pino levels their lines are written at. */
type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Whether AsyncLocalStorage is built on AsyncContextFrame, the default from Node 24. Before it,
 * it hooks every promise the process makes: 10-16% of a sign-in's CPU on Node 20, where on Node 24
 * it costs nothing measurable (docs/performance.md, paired runs).
 */
const ASYNC_CONTEXT_IS_CHEAP =
  Number(process.versions.node.split('.')[0]) >= 24;

export interface PinoNestLoggerOptions {
  /**
   * Tag every line written while a request is served, across awaits, with its request id
   * (AsyncLocalStorage). Off, only lines written inside `writingFor` are tagged.
   */
  acrossAwaits?: boolean;
}

/** The request logger named by the synchronous section running now (`writingFor`). */
let namedRequestLogger: FastifyBaseLogger | undefined;

/**
 * Runs `write` with the Nest lines it writes, synchronously, tagged as the request's: on every
 * runtime, so the error filter's lines carry the request id also where lines are not followed
 * across awaits.
 */
export function writingFor<T>(
  requestLog: FastifyBaseLogger,
  write: () => T,
): T {
  const outer = namedRequestLogger;
  namedRequestLogger = requestLog;
  try {
    return write();
  } finally {
    namedRequestLogger = outer;
  }
}

/**
 * Where every Nest `Logger` call lands: the root pino logger, or, while a request is served,
 * the logger Fastify already made for that request (it carries the request id), so a line
 * written deep in a strategy or the error filter says which request it belongs to. Nothing is
 * built per request: the store holds Fastify's own request logger. Across awaits only where
 * that is cheap (ASYNC_CONTEXT_IS_CHEAP); elsewhere the request line and the error filter's
 * lines still carry the id.
 */
export class PinoNestLogger implements LoggerService {
  private readonly requestLoggers?: AsyncLocalStorage<FastifyBaseLogger>;

  constructor(
    private readonly root: FastifyBaseLogger,
    { acrossAwaits = ASYNC_CONTEXT_IS_CHEAP }: PinoNestLoggerOptions = {},
  ) {
    if (acrossAwaits) this.requestLoggers = new AsyncLocalStorage();
  }

  /** Registered first, so every later hook, guard and handler of a request runs inside it. */
  bindRequests(fastify: FastifyInstance): void {
    const requestLoggers = this.requestLoggers;
    if (!requestLoggers) return;
    fastify.addHook('onRequest', (request, _reply, done) => {
      requestLoggers.run(request.log, done);
    });
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /**
   * Nest passes the context (a `Logger`'s name) last; it becomes the `context` field. An object
   * message is merged into the line, an Error becomes `err` (serialised and scrubbed by the root
   * logger), and the rest are pino format arguments.
   */
  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    const logger =
      namedRequestLogger ?? this.requestLoggers?.getStore() ?? this.root;
    const fields: Record<string, unknown> = {};
    let args = params;
    if (args.length > 0) {
      fields.context = args[args.length - 1];
      args = args.slice(0, -1);
    }
    if (typeof message === 'object') {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      logger[level](fields, ...(args as []));
    } else if (isStackTrace(level, message, args)) {
      // Nest's exception handlers call error(message, stack, context): keep it one Error.
      const err = new Error(message as string);
      err.stack = args[0] as string;
      fields.err = err;
      logger[level](fields);
    } else {
      logger[level](fields, message as string, ...(args as []));
    }
  }
}

function isStackTrace(
  level: PinoLevel,
  message: unknown,
  args: unknown[],
): boolean {
  return (
    level === 'error' &&
    typeof message === 'string' &&
    args.length === 1 &&
    typeof args[0] === 'string' &&
    /\n\s*at /.test(args[0])
  );
}
