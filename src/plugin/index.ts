/**
 * pusher-auth's plugin API (`require('pusher-auth/plugin')`): identity strategies and channel
 * checks a team adds to the deployed service without forking it, listed in `PLUGINS`.
 *
 * Everything exported here is the stable interface: it changes only with a major version.
 * docs/plugins.md walks through writing, loading and testing a plugin.
 */
import { z } from 'zod';
import {
  flag,
  integer,
  list,
  optionalHttpUrl,
  optionalText,
  required,
} from './settings';

export type { AuthRequest } from './auth-request';
export type {
  ChannelCaller,
  ChannelCheckDefinition,
  ChannelDecision,
  DefinedChannelCheck,
} from './channel-check-definition';
export { defineChannelCheck } from './channel-check-definition';
export { IdentityProviderUnavailable } from './identity-provider-unavailable';
export type {
  PassportRequest,
  PassportStrategyDefinition,
  PassportStrategyLike,
} from './passport-strategy';
export { definePassportStrategy } from './passport-strategy';
export type { BootContext, PluginLogger, SetupContext } from './plugin-context';
export type {
  Caller,
  DefinedStrategy,
  Environment,
  StrategyDefinition,
} from './strategy-definition';
export { defineStrategy } from './strategy-definition';

/** The zod the service validates with: settings schemas are built with it. */
export { z };

/** Settings building blocks, each reading one variable (see settings.ts). */
export const setting = {
  /** Text, or undefined when unset or blank. */
  text: () => optionalText,
  /** An http:// or https:// URL without credentials, or undefined when unset. */
  url: () => optionalHttpUrl,
  /** An integer from `min` to `max`, `fallback` when unset. */
  integer,
  /** true/false, `fallback` when unset. */
  flag,
  /** A comma-separated list, `[]` when unset. */
  list: () => list,
  /** Makes a setting required: unset or blank is the problem `is required`. */
  required,
};
