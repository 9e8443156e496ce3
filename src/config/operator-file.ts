import { readFileSync } from 'node:fs';
import type * as Yaml from 'yaml';
import type { z } from 'zod';

/**
 * The YAML parser, loaded on first use: only a service given a policy or apps file reads YAML,
 * and loading it cost about 11 ms of every start (72 modules; docs/performance.md).
 */
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('yaml') as typeof Yaml;
}

/** Anchors are handy for shared settings and user lists; thousands of them are an expansion attack. */
const MAX_ALIASES = 100;

/** What reading or parsing an operator's file gave: its content, or every problem found. */
export type OperatorFileResult<T> =
  | { value: T; problems?: undefined }
  | { value?: undefined; problems: string[] };

/**
 * Reads a file a setting names (`PUSHER_APPS_FILE`, `CHANNEL_POLICY_FILE`). A typo'd path or a
 * file far larger than any real one fails start-up loudly instead of being read without bound.
 * Problems are prefixed with the setting and the path, as every configuration problem is.
 */
export function readOperatorFile(
  setting: string,
  path: string,
  maxBytes: number,
): OperatorFileResult<string> {
  try {
    const buffer = readFileSync(path);
    if (buffer.length > maxBytes) {
      return {
        problems: [`${where(setting, path)}: is larger than ${maxBytes} bytes`],
      };
    }
    return { value: buffer.toString('utf8') };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'read error';
    return { problems: [`${where(setting, path)}: cannot be read (${code})`] };
  }
}

/** `SETTING (path)`, the prefix of each problem found in that file. */
export function where(setting: string, path: string): string {
  return `${setting} (${path})`;
}

/**
 * Parses a YAML document (or JSON, which YAML 1.2 reads too) and checks it against `schema`.
 * Every problem is named with where it is, so one edit fixes them all.
 */
export function parseOperatorDocument<S extends z.ZodType>(
  text: string,
  schema: S,
): OperatorFileResult<z.infer<S>> {
  const document = yaml().parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    // The first line says what and where (line, column); the rest is a snippet of the file.
    return {
      problems: document.errors.map((error) => error.message.split('\n')[0]),
    };
  }
  let content: unknown;
  try {
    content = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // yaml throws when aliases expand past the limit (a "billion laughs" document).
    return { problems: [(error as Error).message] };
  }
  const parsed = schema.safeParse(content);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map(
        (issue) => `${describePath(issue.path)}: ${issue.message}`,
      ),
    };
  }
  return { value: parsed.data };
}

function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'top level';
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
