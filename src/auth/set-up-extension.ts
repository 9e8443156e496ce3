import type { Logger } from '@nestjs/common';
import type { EnabledExtension } from '../config/extensions';
import type { Metrics } from '../metrics/metrics';
import { kindOf } from '../plugin/definition-brand';
import type { SetupContext } from '../plugin/plugin-context';
import type { DefinedStrategy } from '../plugin/strategy-definition';
import type { DefinedChannelCheck } from '../plugin/channel-check-definition';
import { failureReason } from '../plugin/failure-reason';

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
  // Only an extension with a setup can hold a cache; its series is labelled with its name.
  metrics?.declareCache(definition.name);
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
  // Named, so a failed start says which extension failed (main scrubs the message).
  const failed = (error: unknown): never => {
    throw new Error(
      `${kindOf(definition) === 'strategy' ? 'strategy' : 'channel check'} ${definition.name}: setup failed: ${failureReason(error)}`,
      { cause: error },
    );
  };
  try {
    return Promise.resolve(definition.setup(settings, context)).catch(failed);
  } catch (error) {
    return failed(error);
  }
}
