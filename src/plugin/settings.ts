import { z } from 'zod';

/**
 * Building blocks for a settings schema: each reads one environment variable as a string (or
 * its absence) and turns it into a value, or a problem naming the rule broken. A problem never
 * quotes the value: it may be a secret. Each describes the values it accepts (`values` metadata,
 * see setting-doc.ts) for the generated configuration page.
 */

/** `true`/`false` (also `1`/`0`, `yes`/`no`); `fallback` when unset. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      message: 'must be true or false',
    })
    .optional()
    .transform((value) =>
      value === undefined ? fallback : ['true', '1', 'yes'].includes(value),
    )
    .meta({ values: '`true` or `false` (also `1`/`0`, `yes`/`no`)' });

/** An integer from `min` to `max`; `fallback` when unset or blank. */
export const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be an integer from ${min} to ${max}`,
        });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ values: `an integer from ${min} to ${max}` });

/** A comma-separated list, items trimmed, empty items dropped; `[]` when unset. */
export const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .meta({ values: 'a comma-separated list' });

/** Text, or undefined when unset or blank. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) =>
    value === undefined || value.trim() === '' ? undefined : value,
  );

/**
 * An http:// or https:// URL without credentials or a fragment, or undefined when unset.
 * Credentials belong in their own settings, not in `user:password@`.
 */
export const optionalHttpUrl = optionalText
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const problem = httpUrlProblem(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value;
  })
  .meta({
    values:
      'an `http://` or `https://` URL, without credentials or `#fragment`',
  });

function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must be an http:// or https:// URL';
  }
  if (url.username || url.password) {
    return 'must not carry credentials (user:password@); use the dedicated settings';
  }
  if (url.hash) return 'must not have a #fragment';
  return undefined;
}

/** Makes a setting required: unset or blank is the problem `is required`. Its values stay described. */
export const required = <T>(
  setting: z.ZodType<T | undefined, string | undefined>,
) =>
  setting
    .transform((value, ctx): T => {
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'is required' });
        return z.NEVER;
      }
      return value;
    })
    .meta({ ...setting.meta() });
