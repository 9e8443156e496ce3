import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { JwtSettings } from './auth/jwt/jwt.settings';
import type { AppConfig } from './config/app-config';
import { enabledSettings } from './config/strategy-settings';
import { fastifyTrustProxy } from './config/trust-proxy';
import { registerBodyParsers } from './http/body-parsers';
import { drainConnectionsOnClose } from './http/connection-drain';
import { requestIdOf } from './http/request-id';
import { requestTimeoutOptions } from './http/request-timeouts';
import { observeRequests } from './http/request-observer';
import { registerSecurityHeaders } from './http/security-headers';
import { LifecycleState } from './lifecycle/lifecycle-state';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { RequestLogLine } from './logging/request-log-line';
import { createRootLog, safeLogText } from './logging/root-logger';
import { Metrics } from './metrics/metrics';
import { APP_PARAM } from './pusher/signing-app.guard';

/** A sign-in body is a socket id and a few params; anything near this size is not pusher-js. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** Replaces the pino-backed Nest logger (tests capture Nest's lines with it). */
  logger?: LoggerService;
  /** Where the JSON log lines go instead of stdout (tests capture them). */
  logStream?: DestinationStream;
}

/** Builds and initialises the application; `main.ts` and the e2e tests both start here. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const rootLog = createRootLog(config, options.logStream);
  const rootLogger = rootLog.logger;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      loggerInstance: rootLogger,
      logController: new LogController({
        // One line per request is written by observeRequests, with the outcome and user id.
        disableRequestLogging: true,
        requestIdLogLabel: 'requestId',
      }),
      genReqId: requestIdOf,
      trustProxy: fastifyTrustProxy(config.http.trustProxy),
      ...requestTimeoutOptions(config.http.requestTimeoutMs),
    }),
    {
      ...(options.logger ? { logger: options.logger } : { bufferLogs: true }),
      abortOnError: false,
      // body-parsers.ts registers the JSON and form parsers, with their limits.
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  if (!options.logger) {
    const logger = new PinoNestLogger(rootLogger);
    logger.bindRequests(fastify);
    app.useLogger(logger);
    // Lines logged while the modules were built were held until pino was in place.
    app.flushLogs();
  }
  observeRequests(fastify, {
    metrics: app.get(Metrics),
    lifecycle: app.get(LifecycleState),
    requestLine: new RequestLogLine(rootLog, safeLogText(config)),
    signingPaths: [
      config.http.userAuthPath,
      config.http.channelAuthPath,
    ].flatMap((path) => [path, `/apps/:${APP_PARAM}${path}`]),
    tokenParam: enabledSettings(config.strategySettings, JwtSettings)
      ?.queryParam,
  });
  // After observeRequests: the answers these hooks refuse carry the request id and are logged.
  registerBodyParsers(fastify);
  drainConnectionsOnClose(fastify);
  registerSecurityHeaders(app);
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
  if (!config.production) {
    // Loaded here only: @nestjs/swagger is about 90 ms of a start (see deferred-swagger.ts).
    const { serveApiDocs } = await import('./openapi/openapi-document.js');
    serveApiDocs(app);
  }
  await app.init();
  await fastify.ready();
  return app;
}
