import type { Type } from '@nestjs/common';
import type { z } from 'zod';

export type RawEnv = Record<string, string | undefined>;

/** Settings outside a strategy's own section that it may depend on. */
export interface SharedSettings {
  production: boolean;
  /** `CORS_ORIGINS`, already validated as exact origins. */
  corsOrigins: readonly string[];
  /** `IDENTITY_PROVIDERS_ALLOW_HTTP`: plain-HTTP provider URLs accepted in production. @default false */
  allowHttpProviders: boolean;
}

/**
 * Base of every strategy's settings class, which its strategy injects (the class is the DI
 * token). Built once, at boot, from validated values; fields are `declare`d so that this
 * constructor's assignment is what they hold.
 */
export abstract class StrategySettings<T> {
  constructor(values: T) {
    Object.assign(this, values);
  }
}

/**
 * How a strategy reads its settings section. `read` runs once at boot, only when the strategy is
 * named in `AUTH_STRATEGIES`, and appends one line per problem (naming the variable) to
 * `problems`. The result is provided to the strategy under `token`.
 */
export interface StrategySettingsReader<T extends object> {
  readonly token: Type<T>;
  read(env: RawEnv, shared: SharedSettings, problems: string[]): T | undefined;
}

/** The settings of an enabled strategy, found by their class; undefined when it is not enabled. */
export function enabledSettings<T extends object>(
  settings: ReadonlyMap<string, object>,
  token: Type<T>,
): T | undefined {
  for (const section of settings.values()) {
    if (section instanceof token) return section;
  }
  return undefined;
}

/**
 * Parses a section's variables with its zod schema, turning every issue into a
 * `VARIABLE: message` problem. Undefined when any variable is invalid.
 */
export function parseEnvSection<S extends z.ZodType>(
  schema: S,
  env: RawEnv,
  problems: string[],
): z.output<S> | undefined {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  return undefined;
}

/**
 * In production an identity provider's answer decides who the caller is: over plain HTTP, anyone
 * on the network path could answer instead. Loopback (a sidecar) is exempt, and
 * `IDENTITY_PROVIDERS_ALLOW_HTTP=true` opts a private network in. `value` is a valid URL already.
 */
export function checkProviderUrl(
  name: string,
  value: string | undefined,
  shared: SharedSettings,
  problems: string[],
): void {
  if (!value || !shared.production || shared.allowHttpProviders) return;
  const url = new URL(value);
  if (url.protocol === 'https:' || isLoopback(url.hostname)) return;
  problems.push(
    `${name} must be an https:// URL in production: a provider's answer decides who the caller is (set IDENTITY_PROVIDERS_ALLOW_HTTP=true only inside a network you trust)`,
  );
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** Exact origins (`https://app.example.com`), as `CORS_ORIGINS` requires them. */
export function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    // WHATWG URLs accept `*` in a host name; as an origin it would silently match nothing.
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.origin === origin &&
      !url.hostname.includes('*')
    );
  } catch {
    return false;
  }
}
