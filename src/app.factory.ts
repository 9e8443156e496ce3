import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FastifyAdapter,
  NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { fastifyTrustProxy } from './config/trust-proxy';
import { registerBodyParsers } from './http/body-parsers';
import { drainConnectionsOnClose } from './http/connection-drain';
import { limitConnections } from './http/connection-limit';
import { OutOfBandAnswers } from './http/out-of-band-answers';
import { requestIdOf } from './http/request-id';
import { requestTimeoutOptions } from './http/request-timeouts';
import { observeRequests } from './http/request-observer';
import { registerSecurityHeaders } from './http/security-headers';
import { LifecycleState } from './lifecycle/lifecycle-state';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { requestLoggerFactory } from './logging/request-logger';
import { RequestLogLine } from './logging/request-log-line';
import { createRootLog, safeLogText } from './logging/root-logger';
import { Metrics } from './metrics/metrics';
import { resolveSigningApps, signingRoutesOf } from './pusher/signing-app.hook';
import { SigningApps } from './pusher/signing-apps';

/** A sign-in body is a socket id and a few params; anything near this size is not pusher-js. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** Replaces the pino-backed Nest logger (tests capture Nest's lines with it). */
  logger?: LoggerService;
  /**
   * Where the JSON log lines go instead of stdout as JSON: main.ts's stdout in the chosen
   * LOG_FORMAT (stdout-log.ts); tests capture them.
   */
  logStream?: DestinationStream;
}

/** Builds and initialises the application; `main.ts` and the e2e tests both start here. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const rootLog = createRootLog(config, options.logStream);
  const rootLogger = rootLog.logger;
  // In place before any module is built: a line Nest writes while building them (a plugin's
  // failed setup among them) is scrubbed like every other.
  const pinoLogger = options.logger
    ? undefined
    : new PinoNestLogger(rootLogger);
  const outOfBand = new OutOfBandAnswers();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      // No HEAD beside each GET: on the JSONP routes it ran the GET's handler under other
      // credential rules (isJsonpRequest is GET only). HEAD is a 404, through the error filter.
      exposeHeadRoutes: false,
      // What Fastify and Node would answer with their own bodies and no hooks, answered as ours.
      frameworkErrors: outOfBand.frameworkErrors,
      clientErrorHandler: outOfBand.clientErrorHandler,
      loggerInstance: rootLogger,
      logController: new LogController({
        // One line per request is written by observeRequests, with the outcome and user id.
        disableRequestLogging: true,
        requestIdLogLabel: 'requestId',
      }),
      genReqId: requestIdOf,
      childLoggerFactory: requestLoggerFactory,
      trustProxy: fastifyTrustProxy(config.http.trustProxy),
      ...requestTimeoutOptions(config.http.requestTimeoutMs),
    }),
    {
      logger: options.logger ?? pinoLogger,
      abortOnError: false,
      // body-parsers.ts registers the JSON and form parsers, with their limits.
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  pinoLogger?.bindRequests(fastify);
  const signingRoutes = signingRoutesOf(config.http);
  const metrics = app.get(Metrics);
  // The onRequest hooks, in this order: the first two only set headers, so that every answer,
  // including one a later hook refuses, carries the request id and the security headers (and is
  // logged); then the refusals, most general first: shutting down (503), an unknown app (404),
  // a query over its limits (400).
  const observer = observeRequests(fastify, {
    metrics,
    lifecycle: app.get(LifecycleState),
    requestLine: new RequestLogLine(rootLog, safeLogText(config)),
    signingPaths: signingRoutes,
    credentialParameters: config.logSafety.credentialParameters,
  });
  const securityHeaders = registerSecurityHeaders(app);
  outOfBand.connect({ observer, securityHeaders });
  drainConnectionsOnClose(fastify);
  limitConnections(fastify.server, {
    maxConnections: config.http.maxConnections,
    onDrop: () => metrics.connectionsDropped.inc(),
    logger: new Logger('Connections'),
  });
  resolveSigningApps(fastify, app.get(SigningApps), signingRoutes);
  registerBodyParsers(fastify);
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
