import { FORWARD_AUTH_STRATEGY_DEFINITION } from './forward-auth/forward-auth.strategy';
import { INTROSPECTION_STRATEGY_DEFINITION } from './introspection/introspection.strategy';
import { JWT_STRATEGY_DEFINITION } from './jwt/jwt.strategy';
import { SIGNED_HEADER_STRATEGY_DEFINITION } from './signed-header/signed-header.strategy';
import type { StrategyDefinition } from './strategy-definition';

/**
 * Every strategy the service ships. A name is valid in `AUTH_STRATEGIES` exactly when it is
 * here; adding a strategy is a folder `<name>/` (its strategy and its settings), its name in
 * `strategy-names.ts`, and one line in this list.
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
