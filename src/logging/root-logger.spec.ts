import { loadServiceConfig } from '../extensions/service-config';
import { createScrubber, safeUrl } from './redaction';
import { createRootLogger } from './root-logger';

const PUSHER_SECRET = 'pusher-secret-value-123';
const JWT_SECRET = 'jwt-secret-that-is-long-enough-for-hs256!!';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz';

function capture(env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createRootLogger(
    loadServiceConfig({
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'key',
      PUSHER_SECRET,
      JWT_SECRET,
      DIRECTORY_URL: 'postgres://svc:db-password-42@db.internal/app',
      REDIS_URL: 'redis://:redis-password-77@cache.internal:6379',
      ...env,
    }),
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

describe('the root logger', () => {
  it('redacts credentials by key, at the top level, nested and in headers', () => {
    const { logger, lines } = capture({ JWT_QUERY_PARAM: 'access' });
    logger.info({
      authorization: 'x',
      token: 'x',
      access: 'x',
      auth: 'key:abc',
      req: {
        headers: { authorization: 'x', cookie: 'x', 'x-csrf-token': 'x' },
      },
      body: { password: 'x', access: 'x', socket_id: '1.2' },
    });
    expect(lines[0]).toMatchObject({
      authorization: '[Redacted]',
      token: '[Redacted]',
      access: '[Redacted]',
      auth: '[Redacted]',
      req: {
        headers: {
          authorization: '[Redacted]',
          cookie: '[Redacted]',
          'x-csrf-token': '[Redacted]',
        },
      },
      body: { password: '[Redacted]', access: '[Redacted]', socket_id: '1.2' },
    });
  });

  it('scrubs configured secrets and token-shaped text from messages, fields and errors', () => {
    const { logger, lines } = capture();
    const signature = `key:${'ab'.repeat(32)}`;
    logger.warn(
      `failed with ${PUSHER_SECRET} and Bearer ${JWT} and ${signature}`,
    );
    logger.error(
      { err: new Error(`cannot use ${JWT_SECRET}`), note: JWT },
      'db-password-42 and redis-password-77',
    );
    const text = JSON.stringify(lines);
    for (const secret of [
      PUSHER_SECRET,
      JWT_SECRET,
      JWT,
      'ab'.repeat(32),
      'db-password-42',
      'redis-password-77',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0].msg).toBe(
      'failed with [Redacted] and Bearer [Redacted] and key:[Redacted]',
    );
    expect(lines[1]).toMatchObject({
      err: { message: 'cannot use [Redacted]', type: 'Error' },
    });
  });

  it("scrubs an error's message where it becomes the line's message", () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error(`cannot use ${JWT_SECRET}`) });
    logger.error(new Error(`cannot use ${PUSHER_SECRET}`));
    expect(lines.map((line) => line.msg)).toEqual([
      'cannot use [Redacted]',
      'cannot use [Redacted]',
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/jwt-secret|pusher-secret/);
  });

  it('writes JSON lines with a readable level, time and service name', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      service: 'pusher-auth',
      msg: 'shown',
    });
    expect(typeof lines[0].time).toBe('string');
  });
});

describe('safeUrl', () => {
  it.each([
    ['/pusher/user-auth', '/pusher/user-auth'],
    [
      '/pusher/user-auth?socket_id=1.2&callback=cb&token=abc',
      '/pusher/user-auth?socket_id=1.2&callback=cb&token=[Redacted]',
    ],
    ['/x?anything=secret&a%20b=c', '/x?anything=[Redacted]&a%20b=[Redacted]'],
    ['/x?socket_id=1.2&socket_id=3.4', '/x?socket_id=1.2&socket_id=3.4'],
  ])('logs %s as %s', (url, logged) => {
    expect(safeUrl(url)).toBe(logged);
  });

  it('redacts even a safe-looking parameter when it is JWT_QUERY_PARAM', () => {
    expect(safeUrl('/x?callback=abc', ['callback'])).toBe(
      '/x?callback=[Redacted]',
    );
  });
});

describe('createScrubber', () => {
  it('ignores secrets too short to search for', () => {
    expect(createScrubber(['abc'])('abc def')).toBe('abc def');
  });
});
