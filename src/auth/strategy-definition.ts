import type { Provider, Type } from '@nestjs/common';
import type { StrategySettingsReader } from '../config/strategy-settings';

/**
 * Everything the service needs to know about one strategy: listing it in the registry is what
 * makes its name valid in `AUTH_STRATEGIES`.
 */
export interface StrategyDefinition {
  /** The name used in `AUTH_STRATEGIES`. */
  readonly name: string;
  /** The Passport strategy (an `IdentityStrategy(name)`); registered only when enabled. */
  readonly strategy: Type<unknown>;
  /** Its own settings section, validated at boot with the rest of the configuration. */
  readonly settings: StrategySettingsReader<object>;
  /** Helpers it injects (chosen from config once, at boot). */
  readonly providers?: readonly Provider[];
}
