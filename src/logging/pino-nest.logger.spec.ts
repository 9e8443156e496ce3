import Fastify, {
  FastifyBaseLogger,
  LogController,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { loadServiceConfig } from '../extensions/service-config';
import { PinoNestLogger } from './pino-nest.logger';
import { requestLoggerFactory } from './request-logger';
import { createRootLogger } from './root-logger';

const PUSHER_SECRET = 'pusher-secret-value-123';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const root = createRootLogger(
    loadServiceConfig({
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'key',
      PUSHER_SECRET,
      JWT_SECRET: 'jwt-secret-that-is-long-enough-for-hs256!!',
      LOG_LEVEL: 'trace',
    }),
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { root, lines, logger: new PinoNestLogger(root) };
}

describe('the Nest logger on pino', () => {
  it('writes each Nest level at its pino level, the context as a field', () => {
    const { logger, lines } = capture();
    logger.verbose('v', 'Ctx');
    logger.debug('d', 'Ctx');
    logger.log('l', 'Ctx');
    logger.warn('w', 'Ctx');
    logger.error('e', 'Ctx');
    logger.fatal('f');
    expect(
      lines.map(({ level, msg, context }) => [level, msg, context]),
    ).toEqual([
      ['trace', 'v', 'Ctx'],
      ['debug', 'd', 'Ctx'],
      ['info', 'l', 'Ctx'],
      ['warn', 'w', 'Ctx'],
      ['error', 'e', 'Ctx'],
      ['fatal', 'f', undefined],
    ]);
  });

  it('merges an object message, formats the arguments between message and context', () => {
    const { logger, lines } = capture();
    logger.log({ userId: 'alice', auth: 'key:abc' }, 'Ctx');
    logger.warn('%s of %d', 'one', 2, 'Ctx');
    expect(lines[0]).toMatchObject({
      userId: 'alice',
      auth: '[Redacted]',
      context: 'Ctx',
    });
    expect(lines[1]).toMatchObject({ msg: 'one of 2', context: 'Ctx' });
  });

  it("keeps Nest's error(message, stack, context) as one scrubbed error", () => {
    const { logger, lines } = capture();
    const failure = new Error(`boom with ${PUSHER_SECRET}`);
    logger.error(failure.message, failure.stack, 'ExceptionsHandler');
    logger.error(new Error('plain'), 'Ctx');
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'ExceptionsHandler',
      err: { type: 'Error', message: 'boom with [Redacted]' },
    });
    expect(String((lines[0].err as { stack: string }).stack)).toContain(
      'pino-nest.logger.spec',
    );
    expect(JSON.stringify(lines)).not.toContain(PUSHER_SECRET);
    expect(lines[1]).toMatchObject({
      context: 'Ctx',
      err: { message: 'plain' },
    });
  });

  it("tags a line written while serving a request with that request's id, and only then", async () => {
    const { root, logger, lines } = capture();
    // Typed as the application's instance is (with Fastify's base logger type).
    const fastify = Fastify<
      RawServerDefault,
      RawRequestDefaultExpression,
      RawReplyDefaultExpression,
      FastifyBaseLogger
    >({
      loggerInstance: root,
      logController: new LogController({
        disableRequestLogging: true,
        requestIdLogLabel: 'requestId',
      }),
      genReqId: () => 'req-42',
      // As the application makes them (app.factory.ts).
      childLoggerFactory: requestLoggerFactory,
    });
    logger.bindRequests(fastify);
    fastify.get('/', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('inside', 'Handler');
      return 'ok';
    });
    await fastify.inject({ method: 'GET', url: '/' });
    logger.warn('outside', 'Handler');
    await fastify.close();
    expect(lines.find((line) => line.msg === 'inside')).toMatchObject({
      requestId: 'req-42',
      context: 'Handler',
    });
    expect(lines.find((line) => line.msg === 'outside')).not.toHaveProperty(
      'requestId',
    );
  });
});
