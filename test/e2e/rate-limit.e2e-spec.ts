import type Redis from 'ioredis';
import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import {
  connectTestRedis,
  deleteKeysUnder,
  keysUnder,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../helpers/redis';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const USERS = ['alice', 'bob'].map((id) => ({
  id,
  userInfo: null,
  watchlist: [],
}));

function signIn(
  service: TestApp,
  sub: string | undefined,
  extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    remoteAddress: extra.remoteAddress,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(sub
        ? {
            authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
          }
        : {}),
      ...extra.headers,
    },
    payload: 'socket_id=1.2',
  });
}

async function statuses(
  count: number,
  send: () => Promise<{ statusCode: number }>,
): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await send()).statusCode);
  return result;
}

function expectTooManyRequests(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}): void {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.json()).toEqual({
    statusCode: 429,
    message: 'Too Many Requests',
    error: 'Too Many Requests',
  });
}

describe('rate limits in memory', () => {
  describe('per client address (RATE_LIMIT_PER_IP=3)', () => {
    let service: TestApp;
    beforeAll(async () => {
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        RATE_LIMIT_PER_IP: '3',
        RATE_LIMIT_PER_USER: '0',
      });
      await service.seed(...USERS);
    });
    afterAll(() => service?.close());

    it('answers 429 with Retry-After once an address spent its budget, failures included', async () => {
      const address = '10.0.0.1';
      expect(
        await statuses(2, () =>
          signIn(service, 'alice', { remoteAddress: address }),
        ),
      ).toEqual([200, 200]);
      // Unauthenticated attempts spend the same budget: guessing tokens is limited too.
      expect(
        (await signIn(service, undefined, { remoteAddress: address }))
          .statusCode,
      ).toBe(403);
      expectTooManyRequests(
        await signIn(service, 'alice', { remoteAddress: address }),
      );
      expect(
        (await signIn(service, 'alice', { remoteAddress: '10.0.0.2' }))
          .statusCode,
      ).toBe(200);
    });

    it('never limits probes or scrapes', async () => {
      const address = '10.0.0.3';
      await statuses(3, () =>
        signIn(service, 'alice', { remoteAddress: address }),
      );
      for (const url of ['/health/live', '/health/ready', '/metrics']) {
        const response = await service.app.inject({
          method: 'GET',
          url,
          remoteAddress: address,
        });
        expect(response.statusCode).toBe(200);
      }
    });

    it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot pick its own address', async () => {
      const address = '10.0.0.4';
      await statuses(3, () =>
        signIn(service, 'alice', { remoteAddress: address }),
      );
      const spoofed = await signIn(service, 'alice', {
        remoteAddress: address,
        headers: { 'x-forwarded-for': '198.51.100.7' },
      });
      expect(spoofed.statusCode).toBe(429);
    });

    it('counts rate-limited answers in the metrics', async () => {
      const before = await scrape(service.app);
      await statuses(4, () =>
        signIn(service, 'alice', { remoteAddress: '10.0.0.5' }),
      );
      const after = await scrape(service.app);
      const labels = {
        endpoint: '/pusher/user-auth',
        method: 'POST',
        outcome: 'rate_limited',
      };
      expect(
        after('pusher_auth_http_requests_total', labels) -
          before('pusher_auth_http_requests_total', labels),
      ).toBe(1);
    });
  });

  describe('behind a load balancer (TRUST_PROXY=127.0.0.1)', () => {
    let service: TestApp;
    beforeAll(async () => {
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        RATE_LIMIT_PER_IP: '2',
        RATE_LIMIT_PER_USER: '0',
        TRUST_PROXY: '127.0.0.1',
      });
      await service.seed(...USERS);
    });
    afterAll(() => service?.close());

    const viaBalancer = (client: string) =>
      signIn(service, 'alice', {
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });

    it('gives each client address named by the trusted proxy its own budget', async () => {
      expect(await statuses(3, () => viaBalancer('203.0.113.1'))).toEqual([
        200, 200, 429,
      ]);
      expect((await viaBalancer('203.0.113.2')).statusCode).toBe(200);
    });

    it('does not trust X-Forwarded-For from any other peer', async () => {
      const direct = (client: string) =>
        signIn(service, 'alice', {
          remoteAddress: '192.0.2.10',
          headers: { 'x-forwarded-for': client },
        });
      expect(await statuses(3, () => direct('203.0.113.50'))).toEqual([
        200, 200, 429,
      ]);
      expect((await direct('203.0.113.51')).statusCode).toBe(429);
    });
  });

  describe('per user (RATE_LIMIT_PER_USER=2)', () => {
    let service: TestApp;
    beforeAll(async () => {
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        RATE_LIMIT_PER_IP: '0',
        RATE_LIMIT_PER_USER: '2',
      });
      await service.seed(...USERS);
    });
    afterAll(() => service?.close());

    it('limits each identified user, whatever address they come from', async () => {
      expect(
        await statuses(2, () =>
          signIn(service, 'alice', { remoteAddress: '10.1.0.1' }),
        ),
      ).toEqual([200, 200]);
      expectTooManyRequests(
        await signIn(service, 'alice', { remoteAddress: '10.1.0.2' }),
      );
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      // Unidentified callers are not users: they still get 403, not 429.
      expect(await statuses(3, () => signIn(service, undefined))).toEqual([
        403, 403, 403,
      ]);
    });
  });

  it('limits nothing when both limits are 0', async () => {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '0',
    });
    try {
      await service.seed(...USERS);
      const answered = await statuses(20, () => signIn(service, 'alice'));
      expect(answered.every((status) => status === 200)).toBe(true);
    } finally {
      await service.close();
    }
  });
});

describe('rate limits shared through Redis (REDIS_URL)', () => {
  let redis: Redis;
  const prefix = uniqueKeyPrefix();

  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    if (redis) {
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    }
  });

  describe('two replicas with one budget', () => {
    let first: TestApp;
    let second: TestApp;
    const env = {
      DIRECTORY_URL: 'sqlite://:memory:',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '3',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    };
    beforeAll(async () => {
      first = await startTestApp(env);
      second = await startTestApp(env);
      await first.seed(...USERS);
      await second.seed(...USERS);
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    it('answers 429 on either replica once the user spent the budget across both', async () => {
      expect((await signIn(first, 'alice')).statusCode).toBe(200);
      expect((await signIn(second, 'alice')).statusCode).toBe(200);
      expect((await signIn(first, 'alice')).statusCode).toBe(200);
      expectTooManyRequests(await signIn(second, 'alice'));
      expectTooManyRequests(await signIn(first, 'alice'));
      expect((await signIn(second, 'bob')).statusCode).toBe(200);
      // The counts live in Redis under the configured prefix, with the window as their TTL.
      const keys = await keysUnder(redis, prefix);
      expect(keys.sort()).toEqual([
        `${prefix}rate-limit:user:alice`,
        `${prefix}rate-limit:user:bob`,
      ]);
      expect(await redis.get(`${prefix}rate-limit:user:alice`)).toBe('5');
      const ttl = await redis.pttl(`${prefix}rate-limit:user:alice`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });

  describe('when Redis goes away', () => {
    let proxy: TcpProxy;
    let service: TestApp;
    const downPrefix = `${prefix}down:`;

    beforeAll(async () => {
      proxy = await TcpProxy.inFrontOf(REDIS_URL, 6379);
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        RATE_LIMIT_PER_IP: '0',
        RATE_LIMIT_PER_USER: '2',
        REDIS_URL: proxy.urlFor(REDIS_URL),
        REDIS_KEY_PREFIX: downPrefix,
      });
      await service.seed(...USERS);
    });
    afterAll(async () => {
      await service?.close();
      await proxy?.stop();
    });

    it("keeps signing in, limited by the replica's own budget, and says so once in the log", async () => {
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      await proxy.stop();
      const before = await scrape(service.app);
      expect(await statuses(3, () => signIn(service, 'alice'))).toEqual([
        200, 200, 429,
      ]);
      const after = await scrape(service.app);
      expect(
        after('pusher_auth_rate_limit_store_errors_total') -
          before('pusher_auth_rate_limit_store_errors_total'),
      ).toBe(3);
      const warnings = service.logs.lines.filter((line) =>
        /Redis unreachable/.test(line),
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^warn /);
    });
  });
});
