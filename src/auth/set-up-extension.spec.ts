import { Logger } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { defineStrategy } from '../plugin/strategy-definition';
import { setUpExtension } from './set-up-extension';

const BOOT = { production: false, corsOrigins: [], allowHttpProviders: false };

/** A definition enabled with no settings (setUpExtension takes any extension's). */
const enabled = (definition: object) =>
  ({ definition, settings: {}, boot: BOOT }) as unknown as Parameters<
    typeof setUpExtension
  >[0];

const logger = new Logger('test');

async function evictionLines(metrics: Metrics): Promise<string[]> {
  return (await metrics.registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith('pusher_auth_cache_evictions_total{'));
}

describe('setUpExtension', () => {
  it("gives an extension with a setup its cache's eviction series, at 0, and counts under its name", async () => {
    const metrics = new Metrics();
    let countEviction = (): void => undefined;
    const definition = defineStrategy({
      name: 'badge-cache',
      setup: (_settings, context) => {
        countEviction = () => context.countCacheEviction();
        return {};
      },
      authenticate: () => null,
    });
    await setUpExtension(enabled(definition), logger, metrics);
    expect(await evictionLines(metrics)).toContain(
      'pusher_auth_cache_evictions_total{cache="badge-cache"} 0',
    );
    countEviction();
    expect(await evictionLines(metrics)).toContain(
      'pusher_auth_cache_evictions_total{cache="badge-cache"} 1',
    );
  });

  it('declares no series for an extension without a setup (it has nowhere to keep a cache)', async () => {
    const metrics = new Metrics();
    const definition = defineStrategy({
      name: 'stateless',
      authenticate: () => null,
    });
    expect(await setUpExtension(enabled(definition), logger, metrics)).toEqual(
      {},
    );
    expect(
      (await evictionLines(metrics)).map(
        (line) => /cache="([^"]+)"/.exec(line)?.[1],
      ),
    ).toEqual(['users', 'channel_access', 'rate_limit']);
  });
});
