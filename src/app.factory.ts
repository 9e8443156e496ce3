import type { LogLevel as NestLogLevel, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { AppConfig, LogLevel } from './config/app-config';

/** A sign-in body is a socket id and a few params; anything near this size is not pusher-js. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** Replaces Nest's console logger (tests capture lines with it). */
  logger?: LoggerService;
}

/** Builds and initialises the application; `main.ts` and the e2e tests both start here. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    {
      logger: options.logger ?? nestLogLevels(config.logLevel),
      abortOnError: false,
    },
  );
  if (options.logger) app.useLogger(options.logger);
  // Only form and JSON bodies are ours; other types then fail as 415, answered as 400.
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      // Exact strings only: @fastify/cors compares them with ===, never as patterns.
      origin: [...config.http.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token'],
      // pusher-js's ajax transport never sends cookies cross-origin.
      credentials: false,
      maxAge: 600,
    });
  }
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const NEST_LEVELS: Record<LogLevel, NestLogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

function nestLogLevels(level: LogLevel): NestLogLevel[] | false {
  return NEST_LEVELS[level];
}
