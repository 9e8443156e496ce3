import type { z } from 'zod';
import {
  brand,
  checkDefinitionShape,
  EXTENSION_KIND,
} from './definition-brand';
import type { BootContext, SetupContext } from './plugin-context';
import type { Environment } from './strategy-definition';

/** The caller a channel check is asked about: already identified, and accepted by the directory. */
export interface ChannelCaller {
  id: string;
  /** The app the request signs for (`default`, or the name in `/apps/{name}/…`). */
  app: string;
}

/**
 * A check's answer: allow or deny. An allowed presence channel may carry the member's
 * `user_info` for that channel (instead of the directory's).
 */
export type ChannelDecision =
  | boolean
  | { allow: true; userInfo?: Record<string, unknown> }
  | { allow: false };

/**
 * A channel decision that depends on your own data, named by policy rules
 * (`allow: { check: <name> }`). `S` is what its settings produce, `P` what `setup` prepares.
 */
export interface ChannelCheckDefinition<S = unknown, P = S> {
  /** The name policy rules use: lower-case letters, digits and `-`. */
  readonly name: string;
  readonly description?: string;
  /** The environment variables it reads, as a zod object (see `setting`), validated at boot. */
  readonly settings?: z.ZodType<S, Environment>;
  /** Variables whose values never appear in a log line or an answer. */
  readonly secrets?: readonly string[];
  /** Checks across settings at boot; each string is a problem, naming the variable. */
  readonly validate?: (settings: S, context: BootContext) => readonly string[];
  /** Once at boot: builds what `check` needs (a client, a connection pool). */
  readonly setup?: (settings: S, context: SetupContext) => P | Promise<P>;
  /**
   * Whether `caller` may join `channel`; `captures` holds the pattern's named parts
   * (`presence-doc-{doc}` → `{ doc: '42' }`). Throws `IdentityProviderUnavailable` when what it
   * asks cannot answer: that channel gets 503, never a signature. Any other error is logged
   * and answered the same way.
   */
  readonly check: (
    caller: ChannelCaller,
    channel: string,
    captures: Readonly<Record<string, string>>,
    prepared: P,
  ) => ChannelDecision | Promise<ChannelDecision>;
}

export type DefinedChannelCheck<S = unknown, P = S> = ChannelCheckDefinition<
  S,
  P
> & { readonly [EXTENSION_KIND]: 'channel-check' };

/** Declares a channel check. Throws a TypeError naming what is wrong with the definition. */
export function defineChannelCheck<S = Environment, P = S>(
  definition: ChannelCheckDefinition<S, P>,
): DefinedChannelCheck<S, P> {
  checkDefinitionShape('channel-check', definition, ['check'], {
    settings: 'object',
    validate: 'function',
    setup: 'function',
  });
  return brand('channel-check', definition);
}
