import type { z } from 'zod';
import type { DefinedChannelCheck } from '../plugin/channel-check-definition';
import { kindOf } from '../plugin/definition-brand';
import { failureReason } from '../plugin/failure-reason';
import { createScrubber } from '../logging/redaction';
import type { BootContext } from '../plugin/plugin-context';
import type {
  DefinedStrategy,
  Environment,
} from '../plugin/strategy-definition';

/* eslint-disable @typescript-eslint/no-explicit-any -- each definition has its own settings type */
export type AnyStrategy = DefinedStrategy<any, any>;
export type AnyChannelCheck = DefinedChannelCheck<any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * What the configuration is validated against: the shipped strategies and every plugin's
 * strategies and channel checks. The configuration imports none of them: it is handed them.
 */
export interface Extensions {
  readonly strategies: readonly AnyStrategy[];
  readonly channelChecks: readonly AnyChannelCheck[];
}

/** An extension in use, with its validated settings. */
export interface EnabledExtension<D> {
  readonly definition: D;
  /** What its settings schema produced (the environment itself without a schema). */
  readonly settings: unknown;
  readonly boot: BootContext;
}

/**
 * Reads one extension's variables with its schema, then its own cross-checks; every problem is
 * appended to `problems` naming the variable. Undefined when any was found. A schema or a
 * `validate` that throws (a `.refine` or a `.transform` reading a file) is one more problem naming
 * the extension. The extension's own secrets are removed from what it reports: nothing scrubs
 * the start-up message, and a problem may quote the value it refused.
 */
export function readExtensionSettings(
  definition: AnyStrategy | AnyChannelCheck,
  env: Environment,
  boot: BootContext,
  problems: string[],
): { settings: unknown } | undefined {
  const found: string[] = [];
  const read = readSettings(definition, env, boot, found);
  const scrub = createScrubber(secretValuesOf([definition], env));
  problems.push(...found.map(scrub));
  return read;
}

function readSettings(
  definition: AnyStrategy | AnyChannelCheck,
  env: Environment,
  boot: BootContext,
  problems: string[],
): { settings: unknown } | undefined {
  const kind = kindOf(definition) === 'strategy' ? 'strategy' : 'channel check';
  let settings: unknown = env;
  if (definition.settings) {
    let parsed: ReturnType<z.ZodType['safeParse']>;
    try {
      parsed = (definition.settings as z.ZodType).safeParse(env);
    } catch (error) {
      problems.push(
        `${kind} ${definition.name}: its settings schema failed (${failureReason(error)})`,
      );
      return undefined;
    }
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.join('.');
        problems.push(
          where
            ? `${where}: ${issue.message}`
            : `${definition.name}: ${issue.message}`,
        );
      }
      return undefined;
    }
    settings = parsed.data;
  }
  let found: unknown;
  try {
    found = definition.validate?.(settings, boot) ?? [];
  } catch (error) {
    problems.push(
      `${kind} ${definition.name}: validate() failed (${failureReason(error)})`,
    );
    return undefined;
  }
  if (!Array.isArray(found)) {
    problems.push(
      `${definition.name}: validate() must return a list of problems`,
    );
    return undefined;
  }
  problems.push(...found.map(String));
  return found.length > 0 ? undefined : { settings };
}

/**
 * The values of the variables the enabled extensions name as secrets, for the log scrubber: each
 * whole, and each item of a comma-separated one (a list of keys is logged key by key).
 */
export function secretValuesOf(
  definitions: readonly (AnyStrategy | AnyChannelCheck)[],
  env: Environment,
): string[] {
  return definitions.flatMap((definition) =>
    (definition.secrets ?? []).flatMap((name: string) => {
      const value = env[name]?.trim();
      if (!value) return [];
      const items = value.split(',').map((item) => item.trim());
      return [value, ...items.filter((item) => item && item !== value)];
    }),
  );
}
