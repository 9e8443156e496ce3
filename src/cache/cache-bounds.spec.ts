import {
  CredentialCache,
  MAX_CACHED_CREDENTIALS,
} from '../auth/introspection/credential-cache';
import { ChannelAccessService } from '../channels/channel-access.service';
import { loadServiceConfig } from '../extensions/service-config';
import { TtlOnlyChangeFeed } from '../directory/changes/ttl-only.change-feed';
import { UserLookupService } from '../directory/user-lookup.service';
import type { UserDirectory } from '../directory/user-directory';
import { Metrics } from '../metrics/metrics';

const config = loadServiceConfig({
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
});

/** Answers at once: what is measured here is the cache, not storage. */
const directory = {
  findUsers: (ids: string[]) =>
    Promise.resolve(
      new Map(ids.map((id) => [id, { id, userInfo: null, watchlist: [] }])),
    ),
  findChannelAccess: () => Promise.resolve({ groups: [], grants: [] }),
} as unknown as UserDirectory;

/** Each cache through its owner, as the service builds it: look-up `i` uses a new key. */
const CACHES: [string, number, (metrics: Metrics) => (i: number) => unknown][] =
  [
    [
      'users',
      config.directory.cacheMaxUsers,
      (metrics) => {
        const users = new UserLookupService(
          directory,
          config,
          new TtlOnlyChangeFeed('test'),
          metrics,
        );
        return (i) => users.lookup(`user-${i}`, {});
      },
    ],
    [
      'channel_access',
      config.directory.cacheMaxUsers,
      (metrics) => {
        const access = new ChannelAccessService(
          directory,
          config,
          new TtlOnlyChangeFeed('test'),
          metrics,
        );
        return (i) => access.accessOf(`user-${i}`);
      },
    ],
    [
      'introspection',
      MAX_CACHED_CREDENTIALS,
      (metrics) => {
        // As setUpExtension declares the cache of the extension named introspection.
        metrics.declareCache('introspection');
        const answers = new CredentialCache(() =>
          metrics.recordCacheEviction('introspection'),
        );
        const verdict = { identity: null, ttlMs: 60_000 };
        return (i) =>
          answers.getOrAsk(`token-${i}`, () => Promise.resolve(verdict));
      },
    ],
  ];

describe('every in-process cache is bounded by entry count', () => {
  it.each(CACHES)(
    'the %s cache holds %i entries, then counts each eviction in /metrics',
    async (cache, max, ownerOf) => {
      const metrics = new Metrics();
      const lookUp = ownerOf(metrics);
      const evictions = async () =>
        (await metrics.registry.metrics())
          .split('\n')
          .find((line) =>
            line.startsWith(
              `pusher_auth_cache_evictions_total{cache="${cache}"}`,
            ),
          );
      for (let i = 0; i < max; i++) await lookUp(i);
      expect(await evictions()).toBe(
        `pusher_auth_cache_evictions_total{cache="${cache}"} 0`,
      );
      await lookUp(max);
      await lookUp(max + 1);
      expect(await evictions()).toBe(
        `pusher_auth_cache_evictions_total{cache="${cache}"} 2`,
      );
    },
  );
});
