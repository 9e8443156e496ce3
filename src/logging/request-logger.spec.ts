import Fastify, { LogController } from 'fastify';
import { loadServiceConfig } from '../extensions/service-config';
import { RequestLogger, requestLoggerFactory } from './request-logger';
import { createRootLogger } from './root-logger';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const root = createRootLogger(
    loadServiceConfig({
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'key',
      PUSHER_SECRET: 'pusher-secret-value-123',
      JWT_SECRET: 'jwt-secret-that-is-long-enough-for-hs256!!',
      LOG_LEVEL: level,
    }),
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { root, lines, children: vi.spyOn(root, 'child') };
}

describe("a request's logger (Fastify's childLoggerFactory)", () => {
  it('makes the pino child only for a request that writes a line, which carries its id', async () => {
    const { root, lines, children } = capture();
    let id = 0;
    const fastify = Fastify({
      loggerInstance: root,
      logController: new LogController({
        disableRequestLogging: true,
        requestIdLogLabel: 'requestId',
      }),
      genReqId: () => `req-${++id}`,
      childLoggerFactory: requestLoggerFactory,
    });
    fastify.get('/quiet', (request, reply) => {
      expect(request.log).toBeInstanceOf(RequestLogger);
      return reply.send('ok');
    });
    fastify.get('/loud', (request, reply) => {
      request.log.warn({ step: 'inside' }, 'a line');
      request.log.info('another');
      return reply.send('ok');
    });
    await fastify.ready();
    // Fastify makes children of its own as it starts: only those made per request count.
    children.mockClear();
    expect((await fastify.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(children).not.toHaveBeenCalled();
    expect((await fastify.inject({ url: '/loud' })).statusCode).toBe(200);
    await fastify.close();
    expect(children).toHaveBeenCalledTimes(1);
    expect(
      lines.map(({ requestId, msg, step }) => [requestId, msg, step]),
    ).toEqual([
      ['req-2', 'a line', 'inside'],
      ['req-2', 'another', undefined],
    ]);
  });

  it('writes at the level it was given, and says that level before it has a child', () => {
    const { root, lines, children } = capture('trace');
    const logger = new RequestLogger(
      root,
      { requestId: 'r1' },
      { level: 'warn' },
    );
    expect(logger.level).toBe('warn');
    expect(children).not.toHaveBeenCalled();
    logger.info('dropped');
    logger.error('kept');
    expect(lines.map(({ msg, requestId }) => [msg, requestId])).toEqual([
      ['kept', 'r1'],
    ]);
    logger.level = 'info';
    logger.info('now kept');
    expect(lines.at(-1)).toMatchObject({ msg: 'now kept', requestId: 'r1' });
  });

  it("takes the parent's level when it was given none, and hands its bindings to its own children", () => {
    const { root, lines } = capture('error');
    const logger = new RequestLogger(root, { requestId: 'r2' }, {});
    expect(logger.level).toBe('error');
    logger.child({ step: 'nested' }).error('deep');
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'deep', requestId: 'r2', step: 'nested' }),
    ]);
  });
});
