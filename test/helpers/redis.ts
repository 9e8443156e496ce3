import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The machine's Redis; override with TEST_REDIS_URL. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client for the test itself (to inspect and clean up keys); fails clearly when Redis is down. */
export async function connectTestRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}). ` +
        'These tests need a real server: start it with ' +
        "'redis-server --daemonize yes --bind 127.0.0.1' or point TEST_REDIS_URL at one.",
      { cause: error },
    );
  }
  return redis;
}

/** A key prefix no other test run shares, so parallel runs never spend each other's budget. */
export function uniqueKeyPrefix(): string {
  return `pusher-auth-test-${randomBytes(6).toString('hex')}:`;
}

export async function keysUnder(
  redis: Redis,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}*`,
      'COUNT',
      100,
    );
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export async function deleteKeysUnder(
  redis: Redis,
  prefix: string,
): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
