import type { Logger } from '@nestjs/common';
import type { EnabledExtension } from '../config/extensions';
import type { Metrics } from '../metrics/metrics';
import type { SetupContext } from '../plugin/plugin-context';
import type { DefinedStrategy } from '../plugin/strategy-definition';
import type { DefinedChannelCheck } from '../plugin/channel-check-definition';

/**
 * Runs an extension's `setup` once, at boot, with its validated settings; without one, what it
 * is handed at request time is the settings themselves.
 */
export function setUpExtension(
  enabled: EnabledExtension<
    DefinedStrategy<unknown, unknown> | DefinedChannelCheck<unknown, unknown>
  >,
  logger: Logger,
  metrics?: Metrics,
): Promise<unknown> {
  const { definition, settings, boot } = enabled;
  if (!definition.setup) return Promise.resolve(settings);
  const context: SetupContext = {
    ...boot,
    logger: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.log(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
    countCacheEviction: () => metrics?.recordCacheEviction(definition.name),
  };
  return Promise.resolve(definition.setup(settings, context));
}
