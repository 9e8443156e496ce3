import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isJsonpRequest } from '../auth/request-credentials';
import { UnknownAppError } from '../pusher/unknown-app.error';
import { answerFor, ErrorAnswer, errorBody, reasonOf } from './error-answers';
import { sendErrorAnswer } from './error-response.filter';
import { HeadersTooLargeError } from './headers-too-large.error';
import { InvalidRequestError } from './invalid-request.error';
import { REQUEST_ID_HEADER } from './request-id';
import type { RequestObserver } from './request-observer';
import { CLIENT_CLOSED_STATUS } from './request-outcome';
import { RequestTimeoutError } from './request-timeout.error';

/** What the answers need, known once the application is built (after Fastify's options). */
export interface OutOfBandDependencies {
  observer: RequestObserver;
  securityHeaders: Readonly<Record<string, string>>;
}

/** Node's parser codes for a client that left mid-request: nobody to answer. */
const HUNG_UP = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

/**
 * The answers Fastify and Node give outside Nest's routing, written as ours: Fastify's
 * `frameworkErrors` (a URL that is not valid percent-encoding, an over-long path parameter) and
 * Node's `clientError` (malformed HTTP, headers over 16 KiB, a request not received within
 * HTTP_REQUEST_TIMEOUT_MS). Left to themselves they answer with their own bodies, which quote the
 * URL (a JSONP token with it), without our headers, log line or metrics. Here each goes through
 * the error table, carries the request id, the security headers and `Cache-Control: no-store`,
 * and is logged and counted by the RequestObserver.
 *
 * Fastify takes both handlers among its options, before the application that holds the metrics
 * and the log line exists: `connect` hands them over once it does (before `listen`).
 */
export class OutOfBandAnswers {
  private readonly logger = new Logger('Errors');
  private dependencies?: OutOfBandDependencies;

  connect(dependencies: OutOfBandDependencies): void {
    this.dependencies = dependencies;
  }

  /** Fastify's `frameworkErrors`: a request object exists, but none of our hooks has run. */
  readonly frameworkErrors = (
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void => {
    const answer = answerFor(frameworkErrorOf(error), this.logger);
    if (this.dependencies) {
      this.dependencies.observer.start(request, reply);
      for (const [name, value] of Object.entries(
        this.dependencies.securityHeaders,
      )) {
        void reply.header(name, value);
      }
    }
    sendErrorAnswer(reply, answer, isJsonpRequest(request));
  };

  /** Node's `clientError`: only the connection is known; the answer is written on it directly. */
  readonly clientErrorHandler = (
    error: NodeJS.ErrnoException,
    socket: Socket,
  ): void => {
    const observer = this.dependencies?.observer;
    const receiving = observer?.receiving(socket);
    if (HUNG_UP.has(error.code ?? '') || socket.destroyed) {
      // A request being received is counted when its answer's connection closes; bytes that
      // never made a request are one aborted request.
      if (!receiving && socket.bytesRead > 0)
        observer?.unparsed(
          randomUUID(),
          CLIENT_CLOSED_STATUS,
          socket.remoteAddress,
        );
      socket.destroy();
      return;
    }
    const answer = answerFor(clientErrorOf(error), this.logger);
    let requestId: string;
    if (receiving) {
      // A request whose headers arrived and whose body did not (in time, or well formed): the
      // answer is that request's, and its own line says so.
      requestId = receiving.request.id;
      observer?.closeAs(receiving, answer.status);
    } else {
      requestId = randomUUID();
      observer?.unparsed(requestId, answer.status, socket.remoteAddress);
    }
    if (socket.writable) {
      socket.write(
        rawAnswer(answer, requestId, this.dependencies?.securityHeaders ?? {}),
      );
    }
    socket.destroy();
  };
}

/** Fastify's framework errors as the errors of our table. */
function frameworkErrorOf(error: FastifyError): unknown {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new InvalidRequestError([
        'URL path must be valid percent-encoding',
      ]);
    // The only path parameter is an app name (at most 63 characters): longer names no app.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new UnknownAppError();
    default:
      return error;
  }
}

/** Node's parser errors as the errors of our table: each 400 names the part that is wrong. */
function clientErrorOf(error: NodeJS.ErrnoException): Error {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestTimeoutError();
    case 'HPE_HEADER_OVERFLOW':
      return new HeadersTooLargeError();
    case 'HPE_INVALID_METHOD':
      return new InvalidRequestError(['method must be an HTTP method']);
    case 'HPE_INVALID_URL':
      return new InvalidRequestError(['request target must be a URL path']);
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new InvalidRequestError([
        'body must be framed by one valid Content-Length or chunked Transfer-Encoding',
      ]);
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
    case 'HPE_UNEXPECTED_SPACE':
      return new InvalidRequestError(['headers must be valid HTTP headers']);
    default:
      return new InvalidRequestError(['request must be HTTP/1.1']);
  }
}

/** A whole HTTP/1.1 answer, with the headers every answer carries; the connection closes after it. */
function rawAnswer(
  answer: ErrorAnswer,
  requestId: string,
  securityHeaders: Readonly<Record<string, string>>,
): string {
  const body = JSON.stringify(errorBody(answer));
  const lines = [
    `HTTP/1.1 ${answer.status} ${reasonOf(answer.status)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    ...Object.entries(securityHeaders).map(
      ([name, value]) => `${name}: ${value}`,
    ),
    'Cache-Control: no-store',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
