import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerIdentity } from '../auth/caller-identity';
import { channelReasonsOf } from '../pusher/channel-reasons';
import type { LifecycleState } from '../lifecycle/lifecycle-state';
import { safeUrl } from '../logging/redaction';
import type {
  RequestLineLevel,
  RequestLogLine,
} from '../logging/request-log-line';
import type { Metrics } from '../metrics/metrics';
import type { WithSigningApp } from '../pusher/signing-app.hook';
import { clientIpOf } from './client-ip';
import { REQUEST_ID_HEADER } from './request-id';
import { CLIENT_CLOSED_STATUS, outcomeOf } from './request-outcome';

export interface RequestObserverOptions {
  metrics: Metrics;
  lifecycle: LifecycleState;
  /** Where the line per request goes. */
  requestLine: RequestLogLine;
  /** Routes whose 2xx means "signed" (the sign-in and channel endpoints). */
  signingPaths: readonly string[];
  /** `JWT_QUERY_PARAM`: its value is never logged. */
  credentialParameters: readonly string[];
}

/** Probes and scrapes arrive every few seconds: their lines are debug, not info. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** The labels of an answer written before Node had parsed a request (see `unparsed`). */
const UNPARSED_ENDPOINT = 'unparsed';
const UNPARSED_METHOD = 'unknown';

/** On an answer until it is counted: its Fastify reply. */
const OBSERVED = Symbol('pusher-auth.observed');
/** On an answer: the status to count if its connection closes before it is written. */
const CLOSED_STATUS = Symbol('pusher-auth.closedStatus');
/** On a connection: the reply of the request last received on it, until that one is counted. */
const IN_FLIGHT = Symbol('pusher-auth.inFlight');

type ObservedAnswer = ServerResponse & {
  [OBSERVED]?: FastifyReply;
  [CLOSED_STATUS]?: number;
};
type TrackedSocket = Socket & { [IN_FLIGHT]?: FastifyReply };

/**
 * Sees every request, including those Nest never routes (404, a body too large) and those
 * Fastify answers itself (out-of-band-answers.ts): the request id echoed, one log line and the
 * request metrics per request, and `Connection: close` on every answer once shutdown has begun.
 * A request whose client hangs up before its answer is counted when the connection closes
 * (`aborted`, 499), like any other outcome.
 */
export class RequestObserver {
  private readonly signing: ReadonlySet<string>;
  /**
   * One listener shared by every answer (`this` is the answer): a closure per request was an
   * allocation on the hot path.
   */
  private readonly closed: (this: ObservedAnswer) => void;

  constructor(private readonly options: RequestObserverOptions) {
    this.signing = new Set(options.signingPaths);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const observer = this;
    this.closed = function (this: ObservedAnswer) {
      observer.connectionClosed(this);
    };
  }

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      this.start(request, reply);
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      // Keep-alive clients would otherwise keep this instance's connections to the end.
      if (this.options.lifecycle.shuttingDown)
        void reply.header('Connection', 'close');
      done(null, payload);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      this.record(request, reply, reply.statusCode);
      done();
    });
  }

  /** Echoes the request id and watches for the connection closing before the answer is written. */
  start(request: FastifyRequest, reply: FastifyReply): void {
    void reply.header(REQUEST_ID_HEADER, request.id);
    // Read while the connection is open: a client that hangs up takes its address with it.
    clientIpOf(request);
    const answer = reply.raw as ObservedAnswer;
    answer[OBSERVED] = reply;
    answer.on('close', this.closed);
    const socket = request.raw.socket as TrackedSocket | undefined;
    if (socket) socket[IN_FLIGHT] = reply;
  }

  /**
   * The request still being received on `socket`, if any: Node's 408 for it is that request's
   * answer (see `closeAs`), not one of its own.
   */
  receiving(socket: Socket): FastifyReply | undefined {
    const reply = (socket as TrackedSocket)[IN_FLIGHT];
    return reply && !reply.request.raw.complete ? reply : undefined;
  }

  /** The status to count for `reply` when its connection closes before the answer is written. */
  closeAs(reply: FastifyReply, status: number): void {
    (reply.raw as ObservedAnswer)[CLOSED_STATUS] = status;
  }

  /** Counts and logs one answer, once. */
  record(
    request: FastifyRequest,
    reply: FastifyReply,
    statusCode: number,
  ): void {
    const answer = reply.raw as ObservedAnswer;
    if (answer[OBSERVED] === undefined) return;
    answer[OBSERVED] = undefined;
    const socket = request.raw.socket as TrackedSocket | undefined;
    if (socket?.[IN_FLIGHT] === reply) socket[IN_FLIGHT] = undefined;

    const endpoint = request.routeOptions.url ?? 'unmatched';
    const outcome = outcomeOf(statusCode, this.signing.has(endpoint));
    const durationS = reply.elapsedTime / 1000;
    this.count(endpoint, request.method, outcome, durationS);
    const app = (request as WithSigningApp).signingApp?.name;
    if (app) this.options.metrics.recordAppRequest(app, endpoint, outcome);
    const caller = (request as { user?: CallerIdentity }).user;
    this.options.requestLine.write(levelOf(statusCode, outcome, endpoint), {
      requestId: request.id,
      method: request.method,
      endpoint,
      url: safeUrl(request.url, this.options.credentialParameters),
      statusCode,
      outcome,
      app,
      userId: caller?.id,
      strategy: caller?.strategy,
      reason: channelReasonsOf(request),
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      clientIp: clientIpOf(request),
      userAgent: request.headers['user-agent'],
    });
  }

  /**
   * An answer Node's parser gave before there was a request (malformed HTTP, headers too large,
   * nothing received in time, a client gone mid-headers): nothing of it is known but its
   * connection, so its method and endpoint are fixed labels.
   */
  unparsed(requestId: string, statusCode: number, clientIp?: string): void {
    const outcome = outcomeOf(statusCode, false);
    this.count(UNPARSED_ENDPOINT, UNPARSED_METHOD, outcome, 0);
    this.options.requestLine.write(
      levelOf(statusCode, outcome, UNPARSED_ENDPOINT),
      {
        requestId,
        method: UNPARSED_METHOD,
        endpoint: UNPARSED_ENDPOINT,
        url: '',
        statusCode,
        outcome,
        durationMs: 0,
        clientIp,
      },
    );
  }

  /**
   * An answer Fastify wrote was counted by onResponse before its connection closed; one still
   * here was written outside Fastify's hooks (a framework error: counted now), or never written
   * at all because the client left (or timed out) first.
   */
  private connectionClosed(answer: ObservedAnswer): void {
    const reply = answer[OBSERVED];
    if (reply === undefined) return;
    const status = answer.writableFinished
      ? answer.statusCode
      : (answer[CLOSED_STATUS] ?? CLIENT_CLOSED_STATUS);
    this.record(reply.request, reply, status);
  }

  private count(
    endpoint: string,
    method: string,
    outcome: string,
    durationS: number,
  ): void {
    const series = this.options.metrics.requestSeriesFor(
      endpoint,
      method,
      outcome,
    );
    series.inc();
    series.observe(durationS);
  }
}

function levelOf(
  statusCode: number,
  outcome: string,
  endpoint: string,
): RequestLineLevel {
  return statusCode >= 500 && outcome !== 'unavailable'
    ? 'error'
    : QUIET_PATHS.has(endpoint)
      ? 'debug'
      : 'info';
}

/** Registers the hooks of a RequestObserver on `fastify` and returns it. */
export function observeRequests(
  fastify: FastifyInstance,
  options: RequestObserverOptions,
): RequestObserver {
  const observer = new RequestObserver(options);
  observer.attach(fastify);
  return observer;
}
