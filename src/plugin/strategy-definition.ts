import type { z } from 'zod';
import type { AuthRequest } from './auth-request';
import {
  brand,
  checkDefinitionShape,
  EXTENSION_KIND,
} from './definition-brand';
import type { BootContext, SetupContext } from './plugin-context';

/** Who a strategy found the caller to be. */
export interface Caller {
  /** The user id the directory is asked about (it must follow the user id rules). */
  id: string;
  /** What the strategy saw (token claims, attributes); `DIRECTORY_UNKNOWN_USERS=claims` reads them. */
  claims?: Record<string, unknown>;
}

/** The environment, as a settings schema reads it: every variable a string, or absent. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * An identity strategy: how the service finds out who the caller is. `S` is what its settings
 * schema produces, `P` what `setup` prepares from them (the settings themselves without one).
 */
export interface StrategyDefinition<S = unknown, P = S> {
  /** The name listed in `AUTH_STRATEGIES`: lower-case letters, digits and `-`. */
  readonly name: string;
  /** One line for the docs and the start-up log. */
  readonly description?: string;
  /**
   * The environment variables it reads, as a zod object (see `setting`): validated at boot with
   * the rest of the configuration, every problem in one message. Read only when it is enabled.
   */
  readonly settings?: z.ZodType<S, Environment>;
  /** Variables whose values never appear in a log line or an answer (keys, client secrets). */
  readonly secrets?: readonly string[];
  /** Query or body parameters that may carry a credential: their values are redacted from logs. */
  readonly credentialParameters?: (settings: S) => readonly string[];
  /** Checks across settings at boot; each string is a problem, naming the variable. */
  readonly validate?: (settings: S, context: BootContext) => readonly string[];
  /** Once at boot, when every check passed: builds what `authenticate` needs (keys, clients). */
  readonly setup?: (settings: S, context: SetupContext) => P | Promise<P>;
  /**
   * The caller, `null` when the request carries no credential of its kind or a wrong one (the
   * next strategy is tried), or throws `IdentityProviderUnavailable` when its provider failed.
   * Any other error is logged and answered like an unavailable provider: never signed.
   */
  readonly authenticate: (
    request: AuthRequest,
    prepared: P,
  ) => Caller | null | Promise<Caller | null>;
}

/** A definition `defineStrategy` checked and marked, ready to be listed in `PLUGINS`. */
export type DefinedStrategy<S = unknown, P = S> = StrategyDefinition<S, P> & {
  readonly [EXTENSION_KIND]: 'strategy';
};

/** Declares an identity strategy. Throws a TypeError naming what is wrong with the definition. */
export function defineStrategy<S = Environment, P = S>(
  definition: StrategyDefinition<S, P>,
): DefinedStrategy<S, P> {
  checkDefinitionShape('strategy', definition, ['authenticate'], {
    settings: 'object',
    validate: 'function',
    setup: 'function',
    credentialParameters: 'function',
  });
  return brand('strategy', definition);
}
