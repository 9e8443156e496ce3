import { HttpException, Logger } from '@nestjs/common';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import {
  DirectoryUnavailableError,
  InvalidUserRecordError,
  UnknownUserError,
} from '../directory/directory.errors';
import {
  ChannelNotAllowedError,
  EncryptionDisabledError,
} from '../pusher/channel-authorization.errors';
import { UnknownAppError } from '../pusher/unknown-app.error';
import { RateLimitedError } from '../rate-limit/rate-limited.error';
import { ClientAbortedError } from './client-aborted.error';
import { HeadersTooLargeError } from './headers-too-large.error';
import { InputLimitError } from './input-limit.error';
import { InvalidRequestError } from './invalid-request.error';
import { CLIENT_CLOSED_STATUS } from './request-outcome';
import { RequestTimeoutError } from './request-timeout.error';
import { ShuttingDownError } from '../lifecycle/shutting-down.error';
import { quoteForLog } from '../logging/truncate';

/** What the client is told. */
export interface ErrorAnswer {
  status: number;
  /** The body's `message`: a list naming fields for 400, the status's reason phrase by default. */
  message?: string | string[];
  /** Seconds, sent as `Retry-After`. */
  retryAfterS?: number;
  /** A body of its own instead of the contract's shape (the readiness report). */
  body?: object;
}

/**
 * The body's `error` for each status we answer: spelled out, not taken from `node:http`, whose
 * reason phrases follow the RFCs (413 is "Content Too Large" in RFC 9110) and may change.
 */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  [CLIENT_CLOSED_STATUS]: 'Client Closed Request',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** How long a client should wait before retrying when a dependency is down. */
const RETRY_AFTER_S = 5;

type ErrorClass<E> = abstract new (...args: never[]) => E;

interface ErrorMapping {
  error: ErrorClass<unknown>;
  answer(error: unknown, logger: Logger): ErrorAnswer;
}

const when = <E>(
  error: ErrorClass<E>,
  answer: (error: E, logger: Logger) => ErrorAnswer,
): ErrorMapping => ({ error, answer });

/**
 * Every error the service answers on purpose, most specific first: the one place an error class
 * becomes a status, a body and a `Retry-After`. Bodies never carry request input, library error
 * text or stacks; the log keeps what an operator needs.
 */
const ERROR_ANSWERS: readonly ErrorMapping[] = [
  when(InvalidRequestError, (error) => ({
    status: 400,
    message: [...error.problems],
  })),
  // Request shapes refused before parsing (too many fields, nested too deep).
  when(InputLimitError, (error) => ({ status: 400, message: [error.problem] })),
  // Answered outside Nest's routing (see out-of-band-answers.ts): Node's own limits.
  when(RequestTimeoutError, () => ({
    status: 408,
    message: 'request did not arrive in time',
  })),
  when(HeadersTooLargeError, () => ({
    status: 431,
    message: 'request headers are too large',
  })),
  // Nobody to answer: the status only names the outcome in the request line and metrics.
  when(ClientAbortedError, () => ({ status: CLIENT_CLOSED_STATUS })),
  // A request that arrived while the listener closes.
  when(ShuttingDownError, () => ({ status: 503, retryAfterS: RETRY_AFTER_S })),
  when(UnknownUserError, () => ({ status: 403 })),
  when(InvalidUserRecordError, (error, logger) => {
    logger.warn(`not signing user ${quoteForLog(error.userId)}: ${error.rule}`);
    return { status: 403 };
  }),
  when(ChannelNotAllowedError, () => ({ status: 403 })),
  when(UnknownAppError, () => ({ status: 404 })),
  when(RateLimitedError, (error) => ({
    status: 429,
    retryAfterS: error.retryAfterS,
  })),
  when(EncryptionDisabledError, (error) => ({
    status: 501,
    message: [error.message],
  })),
  when(DirectoryUnavailableError, (error, logger) => {
    logger.warn(`user directory unavailable: ${causeOf(error)}`);
    return { status: 503, retryAfterS: RETRY_AFTER_S };
  }),
  // The strategy logged the provider and the reason when it failed.
  when(IdentityProviderUnavailable, (error) => ({
    status: 503,
    retryAfterS: error.retryAfterS,
  })),
  // Nest's own and its libraries' (the CallerGuard's 403, the router's 404, terminus' 503).
  when(HttpException, fromHttpException),
];

/** The answer for any error; one that no entry expects is a 500, logged with its stack. */
export function answerFor(error: unknown, logger: Logger): ErrorAnswer {
  const mapping = ERROR_ANSWERS.find((entry) => error instanceof entry.error);
  if (mapping) return mapping.answer(error, logger);
  logger.error(
    'unexpected error',
    error instanceof Error ? error.stack : String(error),
  );
  return { status: 500 };
}

/** The status's reason phrase, as the body's `error` spells it. */
export function reasonOf(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The contract's error body: `{statusCode, message, error}`. */
export function errorBody(answer: ErrorAnswer): object {
  if (answer.body) return answer.body;
  const reason = reasonOf(answer.status);
  return {
    statusCode: answer.status,
    message: answer.message ?? reason,
    error: reason,
  };
}

function fromHttpException(error: HttpException): ErrorAnswer {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'string') return fromBodyParsingError(status);
  switch (status) {
    case 403:
    case 404: // Nest's own text quotes the requested path.
      return { status };
    case 503: // A failed readiness probe: names the check, never a cause.
      return { status, body: response, retryAfterS: RETRY_AFTER_S };
    default:
      return { status, body: response };
  }
}

/**
 * Nest wraps Fastify's body-reading errors (bad JSON, wrong content type, too large) as
 * HttpExceptions carrying Fastify's text, which quotes the request: answer in our own words.
 */
function fromBodyParsingError(status: number): ErrorAnswer {
  switch (status) {
    case 413:
      return { status, message: 'request body is too large' };
    case 415:
      return {
        status: 400,
        message: [
          'body must be application/x-www-form-urlencoded or application/json',
        ],
      };
    default:
      return status < 500
        ? { status: 400, message: ['body could not be parsed'] }
        : { status: 500 };
  }
}

function causeOf(error: Error): string {
  return error.cause instanceof Error
    ? error.cause.message
    : String(error.cause);
}
