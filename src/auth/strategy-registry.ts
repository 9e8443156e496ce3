import type { Type } from '@nestjs/common';
import { FORWARD_AUTH_STRATEGY_DEFINITION } from './strategies/forward-auth.strategy';
import { INTROSPECTION_STRATEGY_DEFINITION } from './strategies/introspection.strategy';
import { JWT_STRATEGY_DEFINITION } from './strategies/jwt.strategy';
import { SIGNED_HEADER_STRATEGY_DEFINITION } from './strategies/signed-header.strategy';
import type { StrategyDefinition } from './strategy-definition';

/**
 * Every strategy the service ships. A name is valid in `AUTH_STRATEGIES` exactly when it is
 * here; adding a strategy is one file under `strategies/` and one line in this list.
 */
export const STRATEGY_DEFINITIONS: readonly StrategyDefinition[] = [
  JWT_STRATEGY_DEFINITION,
  INTROSPECTION_STRATEGY_DEFINITION,
  FORWARD_AUTH_STRATEGY_DEFINITION,
  SIGNED_HEADER_STRATEGY_DEFINITION,
];

export const KNOWN_STRATEGIES: readonly string[] = STRATEGY_DEFINITIONS.map(
  (definition) => definition.name,
);

/** The Passport strategy class of each shipped name. */
export const STRATEGY_PROVIDERS: Readonly<Record<string, Type<unknown>>> =
  Object.fromEntries(
    STRATEGY_DEFINITIONS.map((definition) => [
      definition.name,
      definition.strategy,
    ]),
  );
