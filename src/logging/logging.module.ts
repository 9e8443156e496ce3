import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

@Module({})
export class LoggingModule {
  /**
   * nestjs-pino with `useExisting`: Fastify already logs each request through the root logger
   * (see http/request-observer.ts), so pino-http adds nothing; nestjs-pino binds Fastify's
   * per-request logger to Nest `Logger` calls made while serving a request (they carry the
   * request id). Calls outside a request go to the root logger. nestjs-pino keeps that root in
   * a module-level variable: one per process, which is one per application outside tests.
   */
  static forRoot(rootLogger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger: rootLogger },
          useExisting: true,
          renameContext: 'context',
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
