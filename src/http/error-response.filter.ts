import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isJsonpRequest } from '../auth/request-credentials';
import { writingFor } from '../logging/pino-nest.logger';
import { ClientAbortedError, isClientAbort } from './client-aborted.error';
import { answerFor, ErrorAnswer, errorBody } from './error-answers';
import { CLIENT_CLOSED_STATUS } from './request-outcome';

/** Writes every error as ERROR_ANSWERS says: the contract's statuses, bodies and Retry-After. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = writingFor(request.log, () =>
      answerFor(
        isClientAbort(error, request) ? new ClientAbortedError() : error,
        this.logger,
      ),
    );
    // A client that hung up is counted when its connection closes (request-observer.ts).
    if (reply.sent || answer.status === CLIENT_CLOSED_STATUS) return;
    sendErrorAnswer(reply, answer, isJsonpRequest(request));
  }
}

/** An error answer on a Fastify reply: the filter's, and the framework errors' (out-of-band-answers.ts). */
export function sendErrorAnswer(
  reply: FastifyReply,
  answer: ErrorAnswer,
  jsonp: boolean,
): void {
  if (answer.retryAfterS) {
    reply.header('Retry-After', String(answer.retryAfterS));
  }
  if (jsonp) {
    // A failed JSONP answer must fail quietly in the page: the browser already refuses to run
    // JSON as a script (ORB); a same-origin resource policy would add a console error. The
    // body is the generic error, nothing worth shielding.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  }
  void reply
    .status(answer.status)
    .header('Cache-Control', 'no-store')
    .header('Content-Type', 'application/json; charset=utf-8')
    .send(errorBody(answer));
}
