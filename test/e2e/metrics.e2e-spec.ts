import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const SIGN_IN = '/pusher/user-auth';

describe('metrics at /metrics', () => {
  let service: TestApp;

  const signIn = (sub: string | undefined, body = 'socket_id=1.2') =>
    service.app.inject({
      method: 'POST',
      url: SIGN_IN,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(sub
          ? {
              authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
            }
          : {}),
      },
      payload: body,
    });

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      DIRECTORY_CACHE_TTL_MS: '60000',
    });
    await service.seed(
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(() => service?.close());

  it('serves the Prometheus text format, with process metrics', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: '/metrics',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    expect(response.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(response.body).toMatch(/^process_resident_memory_bytes \d/m);
    expect(response.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts requests and their latency per endpoint and outcome', async () => {
    const labels = (outcome: string) => ({
      endpoint: SIGN_IN,
      method: 'POST',
      outcome,
    });
    const before = await scrape(service.app);

    expect((await signIn('alice')).statusCode).toBe(200);
    expect((await signIn('alice')).statusCode).toBe(200);
    expect((await signIn(undefined)).statusCode).toBe(403);
    expect((await signIn('alice', 'socket_id=nope')).statusCode).toBe(400);

    const after = await scrape(service.app);
    const delta = (name: string, outcome: string) =>
      after(name, labels(outcome)) - before(name, labels(outcome));
    expect(delta('pusher_auth_http_requests_total', 'signed')).toBe(2);
    expect(delta('pusher_auth_http_requests_total', 'forbidden')).toBe(1);
    expect(delta('pusher_auth_http_requests_total', 'bad_request')).toBe(1);
    expect(
      delta('pusher_auth_http_request_duration_seconds_count', 'signed'),
    ).toBe(2);
    expect(
      delta('pusher_auth_http_request_duration_seconds_sum', 'signed'),
    ).toBeGreaterThan(0);
    expect(
      after('pusher_auth_http_request_duration_seconds_bucket', {
        ...labels('signed'),
        le: '+Inf',
      }),
    ).toBe(
      after(
        'pusher_auth_http_request_duration_seconds_count',
        labels('signed'),
      ),
    );
  });

  it('labels routes nobody registered as "unmatched"', async () => {
    const before = await scrape(service.app);
    await service.app.inject({ method: 'GET', url: '/no/such/path?token=x' });
    const after = await scrape(service.app);
    const key = { endpoint: 'unmatched', method: 'GET', outcome: 'not_found' };
    expect(
      after('pusher_auth_http_requests_total', key) -
        before('pusher_auth_http_requests_total', key),
    ).toBe(1);
  });

  it('counts directory cache misses, then hits', async () => {
    const before = await scrape(service.app);
    expect((await signIn('bob')).statusCode).toBe(200);
    expect((await signIn('bob')).statusCode).toBe(200);
    expect((await signIn('bob')).statusCode).toBe(200);
    const after = await scrape(service.app);
    const delta = (result: string) =>
      after('pusher_auth_directory_cache_lookups_total', { result }) -
      before('pusher_auth_directory_cache_lookups_total', { result });
    expect(delta('miss')).toBe(1);
    expect(delta('hit')).toBe(2);
  });

  it('counts identity checks by strategy and outcome, with their latency', async () => {
    const before = await scrape(service.app);
    await signIn('alice');
    await signIn(undefined);
    await service.app.inject({
      method: 'POST',
      url: SIGN_IN,
      headers: { authorization: 'Bearer not.a.token' },
      payload: { socket_id: '1.2' },
    });
    const after = await scrape(service.app);
    const delta = (name: string, labels: Record<string, string>) =>
      after(name, labels) - before(name, labels);
    const identified = { strategy: 'jwt', outcome: 'identified' };
    const declined = { strategy: 'none', outcome: 'declined' };
    expect(delta('pusher_auth_identity_checks_total', identified)).toBe(1);
    expect(delta('pusher_auth_identity_checks_total', declined)).toBe(2);
    expect(
      delta('pusher_auth_identity_check_duration_seconds_count', identified),
    ).toBe(1);
  });

  it('keeps one registry per application: another app counts only its own requests', async () => {
    const other = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    try {
      await other.app.inject({ method: 'GET', url: '/health/live' });
      const live = {
        endpoint: '/health/live',
        method: 'GET',
        outcome: 'ok',
      };
      const before = await scrape(service.app);
      await other.app.inject({ method: 'GET', url: '/health/live' });
      const ownAfter = await scrape(other.app);
      const after = await scrape(service.app);
      expect(ownAfter('pusher_auth_http_requests_total', live)).toBe(2);
      expect(after('pusher_auth_http_requests_total', live)).toBe(
        before('pusher_auth_http_requests_total', live),
      );
    } finally {
      await other.close();
    }
  });
});
