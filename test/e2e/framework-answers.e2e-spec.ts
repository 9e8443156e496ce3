import { claimsFor, signJwt } from '../helpers/jwt';
import {
  ListeningService,
  startListeningService,
} from '../helpers/listening-service';
import { sampleKey } from '../helpers/metrics';
import { postHead, RawConnection, within } from '../helpers/raw-connection';
import { TEST_JWT_SECRET } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const TOKEN = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));

/** What every answer carries, whoever wrote it. */
function expectOurHeaders(headers: Record<string, string>): void {
  expect(headers).toMatchObject({
    'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'strict-transport-security': expect.stringMatching(/max-age=/),
    'content-security-policy': expect.stringMatching(/frame-ancestors 'none'/),
  });
}

/**
 * Answers that Fastify and Node write outside Nest's routing: before, each had its own body
 * (the bad-URL one quoting the whole URL, a JSONP token with it), none of our headers, no log
 * line and no metric. Real sockets against the compiled service: the paths under test are the
 * HTTP parser's and the router's, which `inject` skips or shapes.
 */
describe('answers given outside the routes (compiled service, raw sockets)', () => {
  let service: ListeningService;

  beforeAll(async () => {
    service = await startListeningService({
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
      HTTP_REQUEST_TIMEOUT_MS: '400',
      RATE_LIMIT_PER_IP: '5',
    });
  });
  afterAll(() => service?.stop());

  const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);
  /** Whether `connection` holds one whole answer (its body as long as its Content-Length). */
  const answered = (connection: RawConnection) => {
    const [response] = connection.responses;
    return (
      response !== undefined &&
      Buffer.byteLength(bodyOf(connection.received)) >=
        Number(response.headers['content-length'] ?? 0)
    );
  };

  /** Sends `bytes` on a fresh connection and returns the first answer, body included. */
  async function exchange(bytes: string) {
    const connection = await RawConnection.open(service.port, bytes);
    await waitFor(
      'an answer',
      () => answered(connection) || connection.isClosed,
      5_000,
    );
    connection.destroy();
    return {
      ...connection.responses[0],
      body: bodyOf(connection.received),
    };
  }

  const lineFor = (requestId: string) =>
    waitFor(`the request line of ${requestId}`, () =>
      service
        .logLines()
        .find(
          (line) =>
            line.requestId === requestId && line.msg === 'request completed',
        ),
    );
  const requests = (samples: Map<string, number>, labels: object) =>
    samples.get(
      sampleKey('pusher_auth_http_requests_total', {
        ...(labels as Record<string, string>),
      }),
    ) ?? 0;

  const get = (target: string, extra = '') =>
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;

  it.each([
    ['a sign-in path', `/pusher/%zz?token=${TOKEN}`],
    [
      'the JSONP route with a bad query too',
      `/pusher/user-auth%?callback=cb&token=${TOKEN}`,
    ],
    ['an app path', `/apps/%E0%A4%A/pusher/auth?token=${TOKEN}`],
    ['a path of ours that is not a signing route', '/health/%C0'],
    ['an unknown path', `/%zz/x?token=${TOKEN}`],
  ])(
    'answers a URL that is not valid percent-encoding (%s) with our 400, never echoing it',
    async (_what, target) => {
      const before = await service.metrics();
      const response = await exchange(get(target));
      expect(response.status).toBe(400);
      expectOurHeaders(response.headers);
      expect(JSON.parse(response.body)).toEqual({
        statusCode: 400,
        message: ['URL path must be valid percent-encoding'],
        error: 'Bad Request',
      });
      expect(response.body).not.toContain(TOKEN);
      expect(response.body).not.toContain('%');

      const line = await lineFor(response.headers['x-request-id']);
      expect(line).toMatchObject({
        level: 'info',
        statusCode: 400,
        outcome: 'bad_request',
        method: 'GET',
        endpoint: 'unmatched',
      });
      expect(JSON.stringify(line)).not.toContain(TOKEN);
      const after = await service.metrics();
      const labels = {
        endpoint: 'unmatched',
        method: 'GET',
        outcome: 'bad_request',
      };
      expect(requests(after, labels)).toBe(requests(before, labels) + 1);
    },
  );

  it('answers an app name longer than any app (over the router parameter limit) with our 404', async () => {
    const response = await exchange(
      get(`/apps/${'a'.repeat(300)}/pusher/auth?token=${TOKEN}`),
    );
    expect(response.status).toBe(404);
    expectOurHeaders(response.headers);
    expect(response.body).not.toContain('aaaa');
    await lineFor(response.headers['x-request-id']);
  });

  it.each([
    [
      'a method HTTP does not define',
      'FOO /pusher/user-auth HTTP/1.1\r\nHost: x\r\n\r\n',
      400,
      'method must be an HTTP method',
    ],
    [
      'a header line without a colon',
      `GET /pusher/user-auth?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n`,
      400,
      'headers must be valid HTTP headers',
    ],
    [
      'two different Content-Lengths',
      'POST /pusher/user-auth HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      400,
      'body must be framed by one valid Content-Length or chunked Transfer-Encoding',
    ],
    [
      'a chunk size that is not hex',
      'POST /pusher/user-auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      400,
      'body must be framed by one valid Content-Length or chunked Transfer-Encoding',
    ],
    [
      'a request line that is not HTTP',
      `GET /pusher/user-auth?token=${TOKEN} HTTZ/9\r\n\r\n`,
      400,
      'request must be HTTP/1.1',
    ],
    [
      'headers over 16 KiB',
      `GET /pusher/user-auth?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      431,
      'request headers are too large',
    ],
  ])(
    'answers malformed HTTP (%s) through the error table, with our headers, a line and a metric',
    async (_what, bytes, status, message) => {
      const before = await service.metrics();
      const response = await exchange(bytes);
      expect(response.status).toBe(status);
      expectOurHeaders(response.headers);
      expect(response.headers.connection).toBe('close');
      const body = JSON.parse(response.body) as { message: unknown };
      expect(body.message).toEqual(status === 400 ? [message] : message);
      expect(response.body).not.toContain(TOKEN);

      // A chunk that breaks the framing of a routed request's body is that request's answer;
      // anything refused while the headers were read has no request.
      const [endpoint, method] = bytes.includes('chunked')
        ? ['/pusher/user-auth', 'POST']
        : ['unparsed', 'unknown'];
      const line = await lineFor(response.headers['x-request-id']);
      expect(line).toMatchObject({
        level: 'info',
        statusCode: status,
        outcome: 'bad_request',
        endpoint,
        method,
      });
      const after = await service.metrics();
      const labels = { endpoint, method, outcome: 'bad_request' };
      expect(requests(after, labels)).toBe(requests(before, labels) + 1);
    },
  );

  it.each(['DELETE', 'PUT', 'PATCH', 'OPTIONS', 'PROPFIND', 'HEAD'])(
    'answers %s on a signing path with our 404',
    async (method) => {
      const response = await exchange(
        `${method} /pusher/user-auth?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(404);
      expectOurHeaders(response.headers);
      await lineFor(response.headers['x-request-id']);
    },
  );

  it('answers a request not received within HTTP_REQUEST_TIMEOUT_MS with our 408, counted as a timeout', async () => {
    const cut = await RawConnection.open(
      service.port,
      'POST /pusher/user-auth HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );
    await within(cut.closed, 9_000, 'still open');
    expect(cut.responses[0].status).toBe(408);
    expectOurHeaders(cut.responses[0].headers);
    expect(
      await lineFor(cut.responses[0].headers['x-request-id']),
    ).toMatchObject({
      statusCode: 408,
      outcome: 'timeout',
      endpoint: 'unparsed',
    });

    // Headers received, body not: the 408 is that request's, with its id and route.
    const half = await RawConnection.open(
      service.port,
      `${postHead('/pusher/user-auth', 100)}${'x'.repeat(50)}`,
    );
    await within(half.closed, 9_000, 'still open');
    expect(half.responses[0].status).toBe(408);
    expectOurHeaders(half.responses[0].headers);
    const line = await lineFor(half.responses[0].headers['x-request-id']);
    expect(line).toMatchObject({
      statusCode: 408,
      outcome: 'timeout',
      endpoint: '/pusher/user-auth',
      method: 'POST',
    });
    expect(
      service.logLines().filter((entry) => entry.level === 'error'),
    ).toEqual([]);
  });

  it('answers a bad URL from a rate-limited client through the same table: a constant 400 that does no work (documented)', async () => {
    // RATE_LIMIT_PER_IP=5: spend the budget, then one more.
    let limited = false;
    for (let attempt = 0; attempt < 10 && !limited; attempt++) {
      const response = await exchange(
        `${postHead('/pusher/user-auth', 13)}socket_id=1.2`,
      );
      limited = response.status === 429;
    }
    expect(limited).toBe(true);
    const response = await exchange(get(`/pusher/%zz?token=${TOKEN}`));
    expect(response.status).toBe(400);
    expectOurHeaders(response.headers);
    expect(response.body).not.toContain(TOKEN);
    expect(await lineFor(response.headers['x-request-id'])).toMatchObject({
      outcome: 'bad_request',
    });
    // Still limited where the work is.
    const again = await exchange(
      `${postHead('/pusher/user-auth', 13)}socket_id=1.2`,
    );
    expect(again.status).toBe(429);
  });

  it('never writes an error line or a stack for any of it', () => {
    const lines = service.logLines();
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(service.output()).not.toContain('"stack"');
    expect(service.output()).not.toContain(TOKEN);
  });
});
