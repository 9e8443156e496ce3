import type { DirectoryUser } from '../directory/directory-user';
import type { UserRules } from '../directory/user-rules';
import { CliError, EXIT } from './cli-error';
import { fileLines, LineTooLongError } from './file-lines';
import { droppedNote, parseRecord } from './user-records';

export interface LineNote {
  line: number;
  reason: string;
}

export interface ImportFile {
  users: DirectoryUser[];
  badLines: LineNote[];
  /** Lines imported with a change worth saying (watchlist entries dropped). */
  warnings: LineNote[];
}

/** A line of an import file may be this long, or longer when the user rules allow bigger records. */
export const MIN_LINE_LIMIT_BYTES = 256 * 1024;

/**
 * The longest line read: four times the largest record the user rules allow (room for
 * whitespace and `\u` escapes), and never under MIN_LINE_LIMIT_BYTES. Anything longer is not a
 * user record, so the file is refused before the line is held.
 */
export function lineLimitBytes(rules: UserRules): number {
  return Math.max(MIN_LINE_LIMIT_BYTES, 4 * rules.largestRecordBytes);
}

/**
 * Reads and checks a whole JSON Lines file before anything is written, so every bad line can
 * be reported at once (by number) and a file with any bad line writes nothing.
 */
export async function readImportFile(
  path: string,
  rules: UserRules,
): Promise<ImportFile> {
  const result: ImportFile = { users: [], badLines: [], warnings: [] };
  const firstLineOf = new Map<string, number>();
  // Strict: a lenient decoder turns bad bytes into U+FFFD and would store them without a word.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const maxBytes = lineLimitBytes(rules);
  try {
    for await (const { number, bytes } of fileLines(path, maxBytes)) {
      try {
        let line: string;
        try {
          line = utf8.decode(bytes);
        } catch {
          throw new Error('not valid UTF-8');
        }
        // A byte-order mark (spreadsheet exports) is not part of the first record.
        if (number === 1) line = line.replace(/^\uFEFF/, '');
        if (line.trim() === '') continue;
        const { user, dropped } = parseRecord(line, rules);
        const first = firstLineOf.get(user.id);
        if (first !== undefined) {
          throw new Error(
            `id ${JSON.stringify(user.id)} is already on line ${first}`,
          );
        }
        firstLineOf.set(user.id, number);
        result.users.push(user);
        if (dropped > 0) {
          result.warnings.push({ line: number, reason: droppedNote(dropped) });
        }
      } catch (error) {
        result.badLines.push({
          line: number,
          reason: (error as Error).message,
        });
      }
    }
  } catch (error) {
    if (error instanceof LineTooLongError) {
      throw new CliError(
        `line ${error.line} of ${path} is longer than ${describeBytes(maxBytes)}, more than any user record can be (is it JSON Lines?): nothing was imported`,
        EXIT.usage,
      );
    }
    const code = (error as { code?: unknown }).code;
    throw new CliError(
      `cannot read ${path}: ${typeof code === 'string' ? code : (error as Error).message}`,
      EXIT.usage,
    );
  }
  return result;
}

function describeBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
