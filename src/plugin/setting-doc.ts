import { z } from 'zod';

/**
 * What an operator reads about one setting, carried by its schema as zod metadata (`.meta()`), so
 * that docs/configuration.md and .env.example are generated from the schemas and cannot drift.
 * Metadata never changes parsing: `.meta()` returns a copy that parses exactly like the original.
 */
export interface SettingDoc {
  /** What it does, in the operator's words. */
  readonly description: string;
  /** The section it is listed under (service settings; a strategy's are listed under the strategy). */
  readonly section?: string;
  /**
   * The default, in words, when it is not simply what the schema gives an unset variable (a value
   * computed from other settings, demo mode). @default what the schema parses `undefined` to
   */
  readonly default?: string;
  /** The values accepted, in words. The building blocks in settings.ts describe their own. */
  readonly values?: string;
  /** Its value is a credential: never logged, never shown. @default false */
  readonly secret?: boolean;
  /** The value .env.example shows. @default the default, or empty when there is none */
  readonly example?: string;
  /** .env.example sets it (uncommented) to `example`, for a working local set-up. @default false */
  readonly local?: boolean;
}

/** `schema`, documented: any description its building block carries is kept unless `doc` says more. */
export function documented<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  return schema.meta({ ...schema.meta(), ...doc });
}

/** The documentation `documented` attached to `schema`, or undefined when it has none. */
export function settingDocOf(schema: z.core.$ZodType): SettingDoc | undefined {
  const meta = z.globalRegistry.get(schema);
  if (typeof meta?.description !== 'string') return undefined;
  const text = (key: string) =>
    typeof meta[key] === 'string' ? meta[key] : undefined;
  return {
    description: meta.description,
    section: text('section'),
    default: text('default'),
    values: text('values'),
    secret: meta.secret === true,
    example: text('example'),
    local: meta.local === true,
  };
}

/** The settings of `schema` documented as secrets: a definition's `secrets`, derived from the schema. */
export function secretSettingsOf(
  schema: z.ZodObject<z.core.$ZodShape>,
): string[] {
  return Object.entries(schema.shape)
    .filter(([, setting]) => settingDocOf(setting)?.secret === true)
    .map(([name]) => name);
}
