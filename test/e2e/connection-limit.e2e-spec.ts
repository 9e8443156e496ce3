import { claimsFor, signJwt } from '../helpers/jwt';
import {
  ListeningService,
  startListeningService,
} from '../helpers/listening-service';
import { sampleKey } from '../helpers/metrics';
import { RawConnection, within } from '../helpers/raw-connection';
import { TEST_JWT_SECRET } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const MAX = 5;
const FLOOD = 40;

/** HTTP_MAX_CONNECTIONS: real sockets against the compiled service. */
describe(`at most HTTP_MAX_CONNECTIONS (${MAX}) open connections`, () => {
  let service: ListeningService;

  beforeAll(async () => {
    service = await startListeningService({
      HTTP_MAX_CONNECTIONS: String(MAX),
    });
  });
  afterAll(() => service?.stop());

  const signIn = (connection: RawConnection) => {
    const body = 'socket_id=1.2';
    const token = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    connection.write(
      `POST /pusher/user-auth HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  };

  it('closes each connection past the limit as it arrives, counts it, logs the flood once, and serves again once connections close', async () => {
    // The limit is held by connections that answered one request and stay open (keep-alive).
    const held: RawConnection[] = [];
    for (let i = 0; i < MAX; i++) {
      const connection = await RawConnection.open(service.port);
      signIn(connection);
      await waitFor('an answer', () => connection.responses.length === 1);
      held.push(connection);
    }

    const flood = await Promise.all(
      Array.from({ length: FLOOD }, () => RawConnection.open(service.port)),
    );
    await within(
      Promise.all(flood.map((connection) => connection.closed)),
      5_000,
      'a connection past the limit is still open',
    );
    // Refused before a byte was read: no answer at all.
    expect(flood.every((connection) => connection.received === '')).toBe(true);
    // The connections within the limit are untouched.
    expect(held.every((connection) => !connection.isClosed)).toBe(true);
    signIn(held[0]);
    await waitFor('a second answer', () => held[0].responses.length === 2);

    for (const connection of held) connection.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    // The server may not have seen the held connections close yet: a scrape that arrives first
    // is itself refused (and counted), so the count is the flood plus the scrapes refused.
    let refusedScrapes = 0;
    const metrics = await waitFor('a free slot', async () => {
      try {
        return await service.metrics();
      } catch {
        refusedScrapes += 1;
        return undefined;
      }
    });
    expect(
      metrics.get(sampleKey('pusher_auth_connections_dropped_total')),
    ).toBe(FLOOD + refusedScrapes);

    const refusalLines = () =>
      service
        .output()
        .split('\n')
        .filter((line) => line.includes('HTTP_MAX_CONNECTIONS'));
    const refusals = await waitFor('the refusal line', () =>
      refusalLines().length > 0 ? refusalLines() : undefined,
    );
    // The first refusal, and at most one summary (the interval is 10 s).
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.length).toBeLessThanOrEqual(2);
    expect(JSON.parse(refusals[0])).toMatchObject({
      level: 'warn',
      context: 'Connections',
    });
  });
});
