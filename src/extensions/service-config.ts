import { SHIPPED_STRATEGIES } from '../auth/strategy-registry';
import type { AppConfig } from '../config/app-config';
import type { Extensions } from '../config/extensions';
import { list } from '../config/env.schema';
import { loadConfig } from '../config/load-config';
import type { RawEnv } from '../config/strategy-settings';

/** What `PLUGINS` added: their strategies and channel checks, in the order listed. */
export const NO_PLUGINS: Extensions = { strategies: [], channelChecks: [] };

/**
 * The service's configuration, validated against the shipped strategies and the plugins' own
 * extensions: the one place both lists meet.
 */
export function loadServiceConfig(
  env: RawEnv,
  plugins: Extensions = NO_PLUGINS,
): AppConfig {
  return loadConfig(env, {
    strategies: [...SHIPPED_STRATEGIES, ...plugins.strategies],
    channelChecks: plugins.channelChecks,
  });
}

/** `PLUGINS` loaded (see load-plugins.ts), then the configuration: the service's and the CLI's start. */
export async function loadConfigWithPlugins(
  env: RawEnv,
  cwd: string = process.cwd(),
): Promise<AppConfig> {
  const { loadPlugins } = await import('./load-plugins.js');
  return loadServiceConfig(
    env,
    await loadPlugins(list.parse(env.PLUGINS), cwd),
  );
}
