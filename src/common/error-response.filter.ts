import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isJsonpRequest } from '../auth/request-credentials';
import { IdentityProviderUnavailableError } from '../auth/identity-provider-unavailable.error';
import {
  DirectoryUnavailableError,
  InvalidUserRecordError,
  UnknownUserError,
} from '../directory/directory.errors';
import { RateLimitedError } from '../rate-limit/rate-limited.error';
import { InputLimitError } from '../http/input-limit.error';
import { ShuttingDownError } from '../lifecycle/shutting-down.error';
import { quoteForLog } from '../logging/truncate';

interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  retryAfterS?: number;
}

/** How long a client should wait before retrying when a dependency is down. */
const RETRY_AFTER_S = 5;

const forbidden = (): ErrorResponse => ({
  status: 403,
  body: { statusCode: 403, message: 'Forbidden', error: 'Forbidden' },
});

const badRequest = (message: string): ErrorResponse => ({
  status: 400,
  body: { statusCode: 400, message: [message], error: 'Bad Request' },
});

/**
 * Maps every error to the contract's statuses. Response bodies never carry request input,
 * library error text or stacks; the log keeps what an operator needs.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, retryAfterS } = this.describe(error);
    if (reply.sent) return;
    if (retryAfterS) reply.header('Retry-After', String(retryAfterS));
    if (isJsonpRequest(host.switchToHttp().getRequest<FastifyRequest>())) {
      // A failed JSONP answer must fail quietly in the page: the browser already refuses to run
      // JSON as a script (ORB); a same-origin resource policy would add a console error. The
      // body is the generic error, nothing worth shielding.
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    reply
      .status(status)
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'application/json; charset=utf-8')
      .send(body);
  }

  private describe(error: unknown): ErrorResponse {
    if (error instanceof RateLimitedError) {
      return {
        status: 429,
        body: {
          statusCode: 429,
          message: 'Too Many Requests',
          error: 'Too Many Requests',
        },
        retryAfterS: error.retryAfterS,
      };
    }
    if (error instanceof HttpException) return this.fromHttpException(error);
    // Request shapes refused before parsing, and requests arriving while the listener closes.
    if (error instanceof InputLimitError) return badRequest(error.problem);
    if (error instanceof ShuttingDownError)
      return serviceUnavailable(RETRY_AFTER_S);
    if (error instanceof UnknownUserError) return forbidden();
    if (error instanceof InvalidUserRecordError) {
      this.logger.warn(
        `not signing user ${quoteForLog(error.userId)}: ${error.rule}`,
      );
      return forbidden();
    }
    if (error instanceof DirectoryUnavailableError) {
      this.logger.warn(`user directory unavailable: ${causeOf(error)}`);
      return {
        status: 503,
        body: {
          statusCode: 503,
          message: 'Service Unavailable',
          error: 'Service Unavailable',
        },
        retryAfterS: RETRY_AFTER_S,
      };
    }
    if (error instanceof IdentityProviderUnavailableError) {
      // The strategy logged the provider and the reason when it failed.
      return serviceUnavailable(error.retryAfterS);
    }
    this.logger.error(
      'unexpected error',
      error instanceof Error ? error.stack : String(error),
    );
    return internalError();
  }

  private fromHttpException(error: HttpException): ErrorResponse {
    const status = error.getStatus() as HttpStatus;
    const response = error.getResponse();
    if (typeof response === 'string') return fromBodyParsingError(status);
    if (status === HttpStatus.FORBIDDEN) return forbidden();
    if (status === HttpStatus.NOT_FOUND) {
      // Nest's default text quotes the requested path.
      return {
        status,
        body: { statusCode: 404, message: 'Not Found', error: 'Not Found' },
      };
    }
    // A failed readiness probe (terminus): its body names the check, never a cause.
    const retryAfterS =
      status === HttpStatus.SERVICE_UNAVAILABLE ? RETRY_AFTER_S : undefined;
    return { status, body: response as Record<string, unknown>, retryAfterS };
  }
}

/**
 * Nest wraps Fastify's body-reading errors (bad JSON, wrong content type, too large) as
 * HttpExceptions carrying Fastify's text, which quotes the request: answer in our own words.
 */
function fromBodyParsingError(status: HttpStatus): ErrorResponse {
  switch (status) {
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return {
        status,
        body: {
          statusCode: status,
          message: 'request body is too large',
          error: 'Payload Too Large',
        },
      };
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return badRequest(
        'body must be application/x-www-form-urlencoded or application/json',
      );
    default:
      return (status as number) < 500
        ? badRequest('body could not be parsed')
        : internalError();
  }
}

const serviceUnavailable = (retryAfterS: number): ErrorResponse => ({
  status: 503,
  body: {
    statusCode: 503,
    message: 'Service Unavailable',
    error: 'Service Unavailable',
  },
  retryAfterS,
});

const internalError = (): ErrorResponse => ({
  status: 500,
  body: {
    statusCode: 500,
    message: 'Internal Server Error',
    error: 'Internal Server Error',
  },
});

function causeOf(error: Error): string {
  return error.cause instanceof Error
    ? error.cause.message
    : String(error.cause);
}
