import type Redis from 'ioredis';
import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import {
  connectTestRedis,
  deleteKeysUnder,
  REDIS_URL,
  uniqueKeyPrefix,
} from '../helpers/redis';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const USERS = ['alice', 'bob'].map((id) => ({
  id,
  userInfo: null,
  watchlist: [],
}));

function signIn(
  service: TestApp,
  sub: string | undefined,
  remoteAddress?: string,
) {
  return service.app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    remoteAddress,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(sub
        ? {
            authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
          }
        : {}),
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

/** How many rate-limit commands a client sent through the proxy while it was frozen. */
const commandsIn = (traffic: string) => traffic.split('rate-limit:').length - 1;

describe('rate limits when Redis stops answering (REDIS_URL through a frozen proxy)', () => {
  let redis: Redis;
  let proxy: TcpProxy;
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
  beforeEach(async () => {
    proxy = await TcpProxy.inFrontOf(REDIS_URL, 6379);
  });
  afterEach(() => proxy?.stop());

  async function startThroughProxy(cooldownMs: string, keyPrefix: string) {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      RATE_LIMIT_PER_IP: '1000',
      RATE_LIMIT_PER_USER: '1000',
      REDIS_URL: proxy.urlFor(REDIS_URL),
      REDIS_KEY_PREFIX: keyPrefix,
      REDIS_BREAKER_COOLDOWN_MS: cooldownMs,
    });
    await service.seed(...USERS);
    return service;
  }

  it('asks Redis once, then answers every request from the local budgets without asking again, and says so once', async () => {
    const service = await startThroughProxy('600000', `${prefix}a:`);
    try {
      expect((await signIn(service, 'alice')).statusCode).toBe(200);
      // Both budgets (address and user) were counted in Redis.
      expect(await redis.get(`${prefix}a:rate-limit:user:alice`)).toBe('1');
      const before = await scrape(service.app);

      proxy.freeze();
      expect(await statuses(10, () => signIn(service, 'alice'))).toEqual(
        Array(10).fill(200),
      );

      // Without the breaker: 20 commands, each waiting out the command timeout. With it: the
      // first request's address check times out, and nothing is sent after that.
      expect(commandsIn(proxy.sentWhileFrozen)).toBe(1);
      const after = await scrape(service.app);
      expect(after('pusher_auth_rate_limit_redis_breaker_open')).toBe(1);
      expect(
        after('pusher_auth_rate_limit_redis_outages_total') -
          before('pusher_auth_rate_limit_redis_outages_total'),
      ).toBe(1);
      expect(
        after('pusher_auth_rate_limit_store_errors_total') -
          before('pusher_auth_rate_limit_store_errors_total'),
      ).toBe(20);
      const warnings = service.logs.lines.filter((line) =>
        /Redis unreachable/.test(line),
      );
      expect(warnings).toEqual([
        expect.stringMatching(/^warn Redis unreachable \(Command timed out\)/),
      ]);
    } finally {
      proxy.thaw();
      await service.close();
    }
  });

  it('keeps limiting with the local budget while Redis is frozen', async () => {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '3',
      REDIS_URL: proxy.urlFor(REDIS_URL),
      REDIS_KEY_PREFIX: `${prefix}b:`,
      REDIS_BREAKER_COOLDOWN_MS: '600000',
    });
    try {
      await service.seed(...USERS);
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      proxy.freeze();
      expect(await statuses(4, () => signIn(service, 'bob'))).toEqual([
        200, 200, 200, 429,
      ]);
    } finally {
      proxy.thaw();
      await service.close();
    }
  });

  it('probes again after REDIS_BREAKER_COOLDOWN_MS and shares the budget again once Redis answers', async () => {
    const keyPrefix = `${prefix}c:`;
    const service = await startThroughProxy('100', keyPrefix);
    try {
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      proxy.freeze();
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      expect(
        (await scrape(service.app))(
          'pusher_auth_rate_limit_redis_breaker_open',
        ),
      ).toBe(1);

      proxy.thaw();
      await waitFor('the breaker to close', async () => {
        await signIn(service, 'bob');
        const sample = await scrape(service.app);
        return sample('pusher_auth_rate_limit_redis_breaker_open') === 0;
      });
      const counted = Number(
        await redis.get(`${keyPrefix}rate-limit:user:bob`),
      );
      expect((await signIn(service, 'bob')).statusCode).toBe(200);
      expect(Number(await redis.get(`${keyPrefix}rate-limit:user:bob`))).toBe(
        counted + 1,
      );
      expect(
        service.logs.lines.filter((line) => /Redis reachable again/.test(line)),
      ).toHaveLength(1);
    } finally {
      await service.close();
    }
  });
});

describe('rate-limit counters in memory are bounded (RATE_LIMIT_MAX_KEYS=100)', () => {
  let service: TestApp;
  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      RATE_LIMIT_PER_IP: '2',
      RATE_LIMIT_PER_USER: '0',
      RATE_LIMIT_MAX_KEYS: '100',
    });
    await service.seed(...USERS);
  });
  afterAll(() => service?.close());

  it('drops the least recently used counter past the bound and counts it in /metrics', async () => {
    const limited = '10.9.0.1';
    expect(await statuses(3, () => signIn(service, 'alice', limited))).toEqual([
      200, 200, 429,
    ]);
    const before = await scrape(service.app);
    // A hundred other addresses (failed sign-ins count too) fill the store.
    for (let i = 0; i < 100; i++) {
      const response = await signIn(service, undefined, `10.8.0.${i}`);
      expect(response.statusCode).toBe(403);
    }
    const after = await scrape(service.app);
    const evictions = (sample: typeof after) =>
      sample('pusher_auth_cache_evictions_total', { cache: 'rate_limit' });
    expect(evictions(after) - evictions(before)).toBe(1);
    // The price of the bound, as documented: the dropped address's budget starts again.
    expect((await signIn(service, 'alice', limited)).statusCode).toBe(200);
    expect(evictions(await scrape(service.app)) - evictions(after)).toBe(1);
  });
});
