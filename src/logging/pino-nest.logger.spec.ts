import Fastify, {
  FastifyBaseLogger,
  LogController,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { loadServiceConfig } from '../extensions/service-config';
import { PinoNestLogger, writingFor } from './pino-nest.logger';
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

  /** A Fastify instance with the application's request logging and one route that logs after an await. */
  async function serveOnce(logger: PinoNestLogger, root: FastifyBaseLogger) {
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
    fastify.get('/', async (request) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('inside', 'Handler');
      writingFor(request.log, () => logger.warn('named', 'Errors'));
      logger.warn('after the named section', 'Handler');
      return 'ok';
    });
    await fastify.inject({ method: 'GET', url: '/' });
    logger.warn('outside', 'Handler');
    await fastify.close();
  }

  const lineOf = (lines: Record<string, unknown>[], msg: string) =>
    lines.find((line) => line.msg === msg);

  it("tags a line written while serving a request with that request's id, across awaits, and only then", async () => {
    const { root, lines } = capture();
    const logger = new PinoNestLogger(root, { acrossAwaits: true });
    await serveOnce(logger, root);
    expect(lineOf(lines, 'inside')).toMatchObject({
      requestId: 'req-42',
      context: 'Handler',
    });
    expect(lineOf(lines, 'named')).toMatchObject({ requestId: 'req-42' });
    expect(lineOf(lines, 'outside')).not.toHaveProperty('requestId');
  });

  it('without following awaits, tags only the lines of a section that names its request', async () => {
    const { root, lines } = capture();
    const logger = new PinoNestLogger(root, { acrossAwaits: false });
    await serveOnce(logger, root);
    expect(lineOf(lines, 'named')).toMatchObject({
      requestId: 'req-42',
      context: 'Errors',
    });
    for (const msg of ['inside', 'after the named section', 'outside']) {
      expect(lineOf(lines, msg)).toBeDefined();
      expect(lineOf(lines, msg)).not.toHaveProperty('requestId');
    }
  });

  it('follows awaits by default exactly where AsyncLocalStorage is cheap (Node 24 on)', async () => {
    const { root, lines, logger } = capture();
    await serveOnce(logger, root);
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    expect(lineOf(lines, 'inside')?.requestId).toBe(
      nodeMajor >= 24 ? 'req-42' : undefined,
    );
  });
});
