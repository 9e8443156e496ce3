import { loadServiceConfig } from '../extensions/service-config';
import { RequestLineFields, RequestLogLine } from './request-log-line';
import { createRootLog, safeLogText } from './root-logger';

const PUSHER_SECRET = 'pusher-secret-value-123';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz';

function capture(env: Record<string, string> = {}) {
  const raw: string[] = [];
  const config = loadServiceConfig({
    PUSHER_APP_ID: '1',
    PUSHER_KEY: 'key',
    PUSHER_SECRET,
    JWT_SECRET: 'jwt-secret-that-is-long-enough-for-hs256!!',
    ...env,
  });
  const root = createRootLog(config, {
    write: (line: string) => void raw.push(line),
  });
  const { logger } = root;
  const requestLine = new RequestLogLine(root, safeLogText(config));
  const lines = () => raw.map((line) => JSON.parse(line) as object);
  return { logger, requestLine, raw, lines };
}

const FIELDS: RequestLineFields = {
  requestId: 'req-1',
  method: 'POST',
  endpoint: '/pusher/user-auth',
  url: '/pusher/user-auth?socket_id=1.2',
  statusCode: 200,
  outcome: 'signed',
  app: 'default',
  userId: 'alice',
  strategy: 'jwt',
  durationMs: 1.3,
  clientIp: '10.1.2.3',
  userAgent: 'pusher-js/8 (browser)',
};

describe('the request line', () => {
  it('is the line pino writes for the same fields through a request logger', () => {
    const { logger, requestLine, lines } = capture();
    requestLine.write('info', FIELDS);
    const { requestId, ...rest } = FIELDS;
    logger.child({ requestId }).info(rest, 'request completed');
    const [ours, pinos] = lines() as Record<string, unknown>[];
    const withoutTime = ({ time, ...line }: Record<string, unknown>) => {
      expect(Number.isNaN(Date.parse(time as string))).toBe(false);
      return line;
    };
    expect(withoutTime(ours)).toEqual(withoutTime(pinos));
    expect(ours).toMatchObject({
      level: 'info',
      service: 'pusher-auth',
      requestId: 'req-1',
      userId: 'alice',
      msg: 'request completed',
    });
  });

  it('leaves out the fields a request does not have', () => {
    const { requestLine, lines } = capture();
    requestLine.write('info', {
      ...FIELDS,
      app: undefined,
      userId: undefined,
      strategy: undefined,
      userAgent: undefined,
    });
    const [line] = lines();
    expect(Object.keys(line)).not.toEqual(
      expect.arrayContaining(['app', 'userId', 'strategy', 'userAgent']),
    );
    expect(line).toMatchObject({ statusCode: 200, durationMs: 1.3 });
  });

  it('scrubs secrets and tokens from what a caller chose, and cuts long values', () => {
    const { requestLine, raw, lines } = capture();
    requestLine.write('info', {
      ...FIELDS,
      userAgent: `agent ${PUSHER_SECRET} Bearer ${JWT} ${'x'.repeat(10_000)}`,
      url: `/pusher/user-auth?socket_id=${JWT}`,
      clientIp: PUSHER_SECRET,
      userId: JWT,
    });
    expect(raw[0]).not.toContain(PUSHER_SECRET);
    expect(raw[0]).not.toContain(JWT);
    const [line] = lines() as Record<string, string>[];
    expect(line.userAgent).toMatch(
      /^agent \[Redacted\] Bearer \[Redacted\] x+…\[truncated \d+ chars\]$/,
    );
    expect(line.userAgent.length).toBeLessThan(300);
    expect(line.url).toBe('/pusher/user-auth?socket_id=[Redacted]');
    expect(line.clientIp).toBe('[Redacted]');
    expect(line.userId).toBe('[Redacted]');
  });

  it('cannot be split or forged by quotes, newlines or control characters', () => {
    const { requestLine, raw, lines } = capture();
    const forged =
      'a"}\n{"level":"error","msg":"forged\u0000\u2028\u202e\u009b';
    requestLine.write('info', { ...FIELDS, userAgent: forged, userId: forged });
    expect(raw).toHaveLength(1);
    expect(raw[0].indexOf('\n')).toBe(raw[0].length - 1);
    // Escaped as text: a viewer showing the parsed field shows the escapes, not their effect.
    const shown =
      'a"}\\u000a{"level":"error","msg":"forged\\u0000\\u2028\\u202e\\u009b';
    expect(lines()[0]).toMatchObject({
      level: 'info',
      userAgent: shown,
      userId: shown,
      msg: 'request completed',
    });
    expect(raw[0]).not.toMatch(/[\u0080-\u009f\u2028\u202e]/);
  });

  it('is written only at an enabled level', () => {
    const { requestLine, lines } = capture({ LOG_LEVEL: 'warn' });
    requestLine.write('info', FIELDS);
    requestLine.write('debug', { ...FIELDS, requestId: 'probe' });
    requestLine.write('error', { ...FIELDS, requestId: 'failed' });
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'error', requestId: 'failed' }),
    ]);
  });
  it('scrubs a repeated caller string every time, and writes a repeated safe one the same', () => {
    const { requestLine, raw, lines } = capture();
    const withToken = `curl/8 Bearer ${JWT}`;
    for (let n = 0; n < 3; n++) {
      requestLine.write('info', { ...FIELDS, userAgent: withToken });
      requestLine.write('info', { ...FIELDS, userAgent: PUSHER_SECRET });
      requestLine.write('info', FIELDS);
    }
    expect(raw.join('')).not.toContain(JWT);
    expect(raw.join('')).not.toContain(PUSHER_SECRET);
    const agents = (lines() as { userAgent: string }[]).map(
      (line) => line.userAgent,
    );
    expect(new Set(agents)).toEqual(
      new Set(['curl/8 Bearer [Redacted]', '[Redacted]', FIELDS.userAgent]),
    );
  });

  it('keeps a bounded number of quoted strings however many distinct ones arrive', () => {
    const { requestLine, lines } = capture();
    for (let n = 0; n < 2_500; n++) {
      requestLine.write('info', { ...FIELDS, userAgent: `agent-${n}` });
    }
    const memo = (requestLine as unknown as { memo: Map<string, string> }).memo;
    expect(memo.size).toBeLessThanOrEqual(1_000);
    expect((lines().at(-1) as { userAgent: string }).userAgent).toBe(
      'agent-2499',
    );
  });
});
