import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

const LEVELS = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
] as const;

/**
 * Fastify's logger for one request (`request.log`), whose pino child is made when the request
 * first writes a line. Most requests write none (the request line comes from the root logger),
 * and pino's `child()` builds an object and a function per level for each: a fifth of what a
 * sign-in left for the old generation, and so of its mark-compacts (docs/performance.md).
 */
export class RequestLogger implements FastifyBaseLogger {
  declare trace: LogFn;
  declare debug: LogFn;
  declare info: LogFn;
  declare warn: LogFn;
  declare error: LogFn;
  declare fatal: LogFn;
  declare silent: LogFn;
  private made?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  /** The pino child, made on first use with the request's bindings and options. */
  logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}

for (const level of LEVELS) {
  // On the prototype: one function per level for every request, not one each.
  RequestLogger.prototype[level] = function (
    this: RequestLogger,
    ...args: Parameters<LogFn>
  ) {
    this.logger()[level](...args);
  };
}

/** Fastify's `childLoggerFactory` option: each request's logger is a `RequestLogger`. */
export const requestLoggerFactory: NonNullable<
  FastifyServerOptions['childLoggerFactory']
> = (logger, bindings, options) => new RequestLogger(logger, bindings, options);
