import type { Type } from '@nestjs/common';
import type { z } from 'zod';

export type RawEnv = Record<string, string | undefined>;

/** Settings outside a strategy's own section that it may depend on. */
export interface SharedSettings {
  production: boolean;
  /** `CORS_ORIGINS`, already validated as exact origins. */
  corsOrigins: readonly string[];
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
