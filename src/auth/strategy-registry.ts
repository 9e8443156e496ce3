import type { AnyStrategy } from '../config/extensions';
import { FORWARD_AUTH_STRATEGY } from './forward-auth/forward-auth.strategy';
import { INTROSPECTION_STRATEGY } from './introspection/introspection.strategy';
import { JWT_STRATEGY } from './jwt/jwt.strategy';
import { SIGNED_HEADER_STRATEGY } from './signed-header/signed-header.strategy';

/**
 * Every strategy the service ships, each defined with the plugin API like any plugin. A name is
 * valid in `AUTH_STRATEGIES` when it is here or in a plugin; the first is the default. Adding a
 * strategy to the repository is its folder and one line here.
 */
export const SHIPPED_STRATEGIES: readonly AnyStrategy[] = [
  JWT_STRATEGY,
  INTROSPECTION_STRATEGY,
  FORWARD_AUTH_STRATEGY,
  SIGNED_HEADER_STRATEGY,
];
