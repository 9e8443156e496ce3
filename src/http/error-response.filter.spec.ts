import {
  ArgumentsHost,
  BadRequestException,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { IdentityProviderUnavailableError } from '../auth/identity-provider-unavailable.error';
import {
  DirectoryUnavailableError,
  InvalidUserRecordError,
  UnknownUserError,
} from '../directory/directory.errors';
import {
  ChannelNotAllowedError,
  EncryptionDisabledError,
} from '../pusher/channel-authorization.errors';
import { RateLimitedError } from '../rate-limit/rate-limited.error';
import { ErrorResponseFilter } from './error-response.filter';
import { HeadersTooLargeError } from './headers-too-large.error';
import { InvalidRequestError } from './invalid-request.error';
import { RequestTimeoutError } from './request-timeout.error';

/** Records what the filter writes, as Fastify's reply would send it. */
class RecordingReply {
  sent = false;
  statusCode?: number;
  readonly headers: Record<string, string> = {};
  body?: unknown;
  header(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  send(body: unknown) {
    this.body = body;
    this.sent = true;
    return this;
  }
}

function answer(
  error: unknown,
  method = 'POST',
  reply = new RecordingReply(),
  raw: object = { destroyed: false },
): RecordingReply {
  const host = {
    switchToHttp: () => ({
      getResponse: () => reply,
      getRequest: () => ({ method, raw }),
    }),
  } as unknown as ArgumentsHost;
  new ErrorResponseFilter().catch(error, host);
  return reply;
}

const body = (statusCode: number, error: string, message: unknown = error) => ({
  statusCode,
  message,
  error,
});
const FORBIDDEN = body(403, 'Forbidden');
const UNAVAILABLE = body(503, 'Service Unavailable');
const READINESS_REPORT = {
  status: 'error',
  info: {},
  error: { directory: { status: 'down' } },
  details: { directory: { status: 'down' } },
};

describe('ErrorResponseFilter', () => {
  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each<[string, unknown, number, object, string | undefined]>([
    [
      'a malformed request',
      new InvalidRequestError(['socket_id must look like 1234.5678']),
      400,
      body(400, 'Bad Request', ['socket_id must look like 1234.5678']),
      undefined,
    ],
    [
      'an unknown user',
      new UnknownUserError('nobody'),
      403,
      FORBIDDEN,
      undefined,
    ],
    [
      'a record that breaks a rule',
      new InvalidUserRecordError('bob', 'user_info must be a JSON object'),
      403,
      FORBIDDEN,
      undefined,
    ],
    [
      'a channel not allowed',
      new ChannelNotAllowedError(),
      403,
      FORBIDDEN,
      undefined,
    ],
    [
      'no identity (Passport)',
      new ForbiddenException(),
      403,
      FORBIDDEN,
      undefined,
    ],
    [
      'a spent rate limit',
      new RateLimitedError('per-user', 17),
      429,
      body(429, 'Too Many Requests'),
      '17',
    ],
    [
      'an encrypted channel without a master key',
      new EncryptionDisabledError('PUSHER_ENCRYPTION_MASTER_KEY_BASE64'),
      501,
      body(501, 'Not Implemented', [
        'private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64)',
      ]),
      undefined,
    ],
    [
      'an unreachable directory',
      new DirectoryUnavailableError(new Error('connect ECONNREFUSED')),
      503,
      UNAVAILABLE,
      '5',
    ],
    [
      'an unreachable identity provider',
      new IdentityProviderUnavailableError('jwt (https://idp)', 'timeout', 9),
      503,
      UNAVAILABLE,
      '9',
    ],
    [
      'a failed readiness check (terminus), body as reported',
      new ServiceUnavailableException(READINESS_REPORT),
      503,
      READINESS_REPORT,
      '5',
    ],
    [
      'an unknown route, without quoting the path',
      new NotFoundException('Cannot POST /secret/path'),
      404,
      body(404, 'Not Found'),
      undefined,
    ],
    [
      'a body over the limit (Fastify text quotes nothing here)',
      new HttpException('Request body is too large', 413),
      413,
      body(413, 'Payload Too Large', 'request body is too large'),
      undefined,
    ],
    [
      'a body of another content type',
      new HttpException('Unsupported Media Type: text/plain', 415),
      400,
      body(400, 'Bad Request', [
        'body must be application/x-www-form-urlencoded or application/json',
      ]),
      undefined,
    ],
    [
      'a body Fastify could not read',
      new HttpException('Body cannot be empty when content-type is set', 400),
      400,
      body(400, 'Bad Request', ['body could not be parsed']),
      undefined,
    ],
    [
      'a server-side HttpException carrying text',
      new HttpException('something broke at /x', 500),
      500,
      body(500, 'Internal Server Error'),
      undefined,
    ],
    [
      "another HttpException's own body",
      new BadRequestException(['a']),
      400,
      body(400, 'Bad Request', ['a']),
      undefined,
    ],
    [
      'a request not received in time (Node, through out-of-band-answers)',
      new RequestTimeoutError(),
      408,
      body(408, 'Request Timeout', 'request did not arrive in time'),
      undefined,
    ],
    [
      'headers over the limit (Node, through out-of-band-answers)',
      new HeadersTooLargeError(),
      431,
      body(
        431,
        'Request Header Fields Too Large',
        'request headers are too large',
      ),
      undefined,
    ],
    [
      'anything unexpected, without its message',
      new TypeError('secret detail'),
      500,
      body(500, 'Internal Server Error'),
      undefined,
    ],
  ])('answers %s', (_case, error, status, expected, retryAfter) => {
    const reply = answer(error);
    expect(reply.statusCode).toBe(status);
    expect(reply.body).toEqual(expected);
    expect(reply.headers['Retry-After']).toBe(retryAfter);
    expect(reply.headers['Cache-Control']).toBe('no-store');
    expect(reply.headers['Content-Type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(reply.headers['Cross-Origin-Resource-Policy']).toBeUndefined();
  });

  it('lets a failed JSONP answer load cross-origin, so the page fails quietly', () => {
    const reply = answer(new UnknownUserError('nobody'), 'GET');
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['Cross-Origin-Resource-Policy']).toBe('cross-origin');
  });

  it('logs the user and the rule a record breaks, never in the body', () => {
    const reply = answer(new InvalidUserRecordError('bob', 'user_info rule'));
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      'not signing user "bob": user_info rule',
    );
    expect(JSON.stringify(reply.body)).not.toContain('user_info rule');
  });

  it("logs the directory's own error, never in the body", () => {
    const reply = answer(
      new DirectoryUnavailableError(new Error('connect ECONNREFUSED')),
    );
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      'user directory unavailable: connect ECONNREFUSED',
    );
    expect(JSON.stringify(reply.body)).not.toContain('ECONNREFUSED');
  });

  it('logs an unexpected error with its stack', () => {
    answer(new TypeError('secret detail'));
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      'unexpected error',
      expect.stringContaining('TypeError: secret detail'),
    );
  });

  it('treats a body cut short by its client hanging up as an outcome: nothing logged, nothing written', () => {
    const aborted = Object.assign(new Error('aborted'), {
      code: 'ECONNRESET',
    });
    const reply = answer(aborted, 'POST', new RecordingReply(), {
      destroyed: true,
    });
    expect(reply.statusCode).toBeUndefined();
    expect(Logger.prototype.error).not.toHaveBeenCalled();
  });

  it('still logs a reset it cannot blame on the client (its request is intact)', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
    });
    const reply = answer(reset);
    expect(reply.statusCode).toBe(500);
    expect(Logger.prototype.error).toHaveBeenCalled();
  });

  it('writes nothing when the reply was already sent', () => {
    const reply = new RecordingReply();
    reply.sent = true;
    answer(new UnknownUserError('x'), 'POST', reply);
    expect(reply.statusCode).toBeUndefined();
  });
});
