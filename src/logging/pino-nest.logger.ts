import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Nest's log methods and the pino levels their lines are written at. */
type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Where every Nest `Logger` call lands: the root pino logger, or, while a request is served,
 * the logger Fastify already made for that request (it carries the request id), so a line
 * written deep in a strategy or the error filter says which request it belongs to. Nothing is
 * built per request: the store holds Fastify's own request logger.
 */
export class PinoNestLogger implements LoggerService {
  private readonly requestLoggers = new AsyncLocalStorage<FastifyBaseLogger>();

  constructor(private readonly root: FastifyBaseLogger) {}

  /** Registered first, so every later hook, guard and handler of a request runs inside it. */
  bindRequests(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      this.requestLoggers.run(request.log, done);
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
    const logger = this.requestLoggers.getStore() ?? this.root;
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
