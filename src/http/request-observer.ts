import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerIdentity } from '../auth/caller-identity';
import type { LifecycleState } from '../lifecycle/lifecycle-state';
import { safeUrl } from '../logging/redaction';
import type {
  RequestLineLevel,
  RequestLogLine,
} from '../logging/request-log-line';
import type { Metrics } from '../metrics/metrics';
import { clientIpOf } from './client-ip';
import { REQUEST_ID_HEADER } from './request-id';
import { outcomeOf } from './request-outcome';
import type { WithSigningApp } from '../pusher/signing-app.hook';

export interface RequestObserverOptions {
  metrics: Metrics;
  lifecycle: LifecycleState;
  /** Where the line per request goes. */
  requestLine: RequestLogLine;
  /** Routes whose 2xx means "signed" (the sign-in and channel endpoints). */
  signingPaths: readonly string[];
  /** `JWT_QUERY_PARAM`: its value is never logged. */
  tokenParam?: string;
}

/** Probes and scrapes arrive every few seconds: their lines are debug, not info. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Fastify hooks, so that every request is seen, including those Nest never routes (404, a body
 * too large): the request id echoed, one log line and the request metrics per request, and
 * `Connection: close` on every answer once shutdown has begun.
 */
export function observeRequests(
  fastify: FastifyInstance,
  options: RequestObserverOptions,
): void {
  const signing = new Set(options.signingPaths);

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  fastify.addHook('onSend', (_request, reply, payload, done) => {
    // Keep-alive clients would otherwise keep this instance's connections to the end.
    if (options.lifecycle.shuttingDown)
      void reply.header('Connection', 'close');
    done(null, payload);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const endpoint = request.routeOptions.url ?? 'unmatched';
    const outcome = outcomeOf(reply.statusCode, signing.has(endpoint));
    const series = options.metrics.requestSeriesFor(
      endpoint,
      request.method,
      outcome,
    );
    series.inc();
    series.observe(reply.elapsedTime / 1000);
    const app = (request as WithSigningApp).signingApp?.name;
    if (app) options.metrics.recordAppRequest(app, endpoint, outcome);
    logRequest(options, request, reply, endpoint, outcome);
    done();
  });
}

function logRequest(
  { requestLine, tokenParam }: RequestObserverOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: string,
  outcome: string,
): void {
  const caller = (request as { user?: CallerIdentity }).user;
  const level: RequestLineLevel =
    reply.statusCode >= 500 && outcome !== 'unavailable'
      ? 'error'
      : QUIET_PATHS.has(endpoint)
        ? 'debug'
        : 'info';
  requestLine.write(level, {
    requestId: request.id,
    method: request.method,
    endpoint,
    url: safeUrl(request.url, tokenParam),
    statusCode: reply.statusCode,
    outcome,
    app: (request as WithSigningApp).signingApp?.name,
    userId: caller?.id,
    strategy: caller?.strategy,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    clientIp: clientIpOf(request),
    userAgent: request.headers['user-agent'],
  });
}
