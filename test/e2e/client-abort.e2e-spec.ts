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

/**
 * A client that hangs up before its answer is an outcome, not our bug: before, each such
 * connection logged an error with a stack, and no request line or metric. Raw sockets against
 * the compiled service, since the abort is Node's and Fastify's path, not a route's.
 */
describe('a client that hangs up before its answer (compiled service, raw sockets)', () => {
  let service: ListeningService;

  beforeAll(async () => {
    service = await startListeningService();
  });
  afterAll(() => service?.stop());

  const aborted = (endpoint: string) =>
    service
      .logLines()
      .filter(
        (line) => line.outcome === 'aborted' && line.endpoint === endpoint,
      );
  async function requestsTotal(labels: Record<string, string>) {
    return (
      (await service.metrics()).get(
        sampleKey('pusher_auth_http_requests_total', labels),
      ) ?? 0
    );
  }

  /** Sends the headers and part of the body, then closes the connection. */
  async function hangUpMidBody(path: string, type: string, part: string) {
    const connection = await RawConnection.open(
      service.port,
      `${postHead(path, 500, { 'Content-Type': type, Authorization: `Bearer ${TOKEN}` })}${part}`,
    );
    // Let the service route it and start reading the body.
    await new Promise((resolve) => setTimeout(resolve, 100));
    connection.destroy();
    await within(connection.closed, 5_000, 'still open');
  }

  it.each([
    [
      '/pusher/user-auth',
      '/pusher/user-auth',
      'application/x-www-form-urlencoded',
      'socket_id=1',
    ],
    ['/pusher/auth', '/pusher/auth', 'application/json', '{"socket_id":"1.2",'],
    [
      '/apps/default/pusher/auth',
      '/apps/:app/pusher/auth',
      'application/x-www-form-urlencoded',
      'socket_id=1.2&chan',
    ],
  ])(
    'at %s: one info line (499, aborted) and the aborted metric per connection, no error, no stack',
    async (path, endpoint, type, part) => {
      const labels = { endpoint, method: 'POST', outcome: 'aborted' };
      const before = await requestsTotal(labels);
      const linesBefore = aborted(endpoint).length;
      await hangUpMidBody(path, type, part);
      await hangUpMidBody(path, type, part);

      await waitFor('two aborted lines', () =>
        aborted(endpoint).length === linesBefore + 2 ? true : undefined,
      );
      for (const line of aborted(endpoint).slice(linesBefore)) {
        expect(line).toMatchObject({
          level: 'info',
          method: 'POST',
          statusCode: 499,
          msg: 'request completed',
          clientIp: '127.0.0.1',
        });
        expect(line.requestId).toEqual(expect.any(String));
      }
      expect(await requestsTotal(labels)).toBe(before + 2);
    },
  );

  it('counts a connection cut in the middle of its headers once, as aborted', async () => {
    const labels = {
      endpoint: 'unparsed',
      method: 'unknown',
      outcome: 'aborted',
    };
    const before = await requestsTotal(labels);
    const connection = await RawConnection.open(
      service.port,
      `POST /pusher/user-auth HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    connection.destroy();
    await waitFor('the aborted count', async () =>
      (await requestsTotal(labels)) === before + 1 ? true : undefined,
    );
  });

  it('leaves no error line, stack or token in the log', () => {
    expect(service.logLines().filter((line) => line.level === 'error')).toEqual(
      [],
    );
    expect(service.output()).not.toContain('"stack"');
    expect(service.output()).not.toContain('unexpected error');
    expect(service.output()).not.toContain(TOKEN);
  });
});
