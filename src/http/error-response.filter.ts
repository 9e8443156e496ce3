import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isJsonpRequest } from '../auth/request-credentials';
import { answerFor, errorBody } from './error-answers';

/** Writes every error as ERROR_ANSWERS says: the contract's statuses, bodies and Retry-After. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const answer = answerFor(error, this.logger);
    if (reply.sent) return;
    if (answer.retryAfterS) {
      reply.header('Retry-After', String(answer.retryAfterS));
    }
    if (isJsonpRequest(http.getRequest<FastifyRequest>())) {
      // A failed JSONP answer must fail quietly in the page: the browser already refuses to run
      // JSON as a script (ORB); a same-origin resource policy would add a console error. The
      // body is the generic error, nothing worth shielding.
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    reply
      .status(answer.status)
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'application/json; charset=utf-8')
      .send(errorBody(answer));
  }
}
