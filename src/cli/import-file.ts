import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DirectoryUser } from '../directory/directory-user';
import type { UserRules } from '../directory/user-rules';
import { CliError, EXIT } from './cli-error';
import { parseRecord } from './user-records';

export interface BadLine {
  line: number;
  reason: string;
}

export interface ImportFile {
  users: DirectoryUser[];
  badLines: BadLine[];
}

/**
 * Reads and checks a whole JSON Lines file before anything is written, so every bad line can
 * be reported at once (by number) and a file with any bad line writes nothing.
 */
export async function readImportFile(
  path: string,
  rules: UserRules,
): Promise<ImportFile> {
  const users: DirectoryUser[] = [];
  const badLines: BadLine[] = [];
  const firstLineOf = new Map<string, number>();
  let number = 0;
  try {
    const lines = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const raw of lines) {
      number++;
      // A byte-order mark (spreadsheet exports) is not part of the first record.
      const line = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      try {
        const user = parseRecord(line, rules);
        const first = firstLineOf.get(user.id);
        if (first !== undefined) {
          throw new Error(
            `id ${JSON.stringify(user.id)} is already on line ${first}`,
          );
        }
        firstLineOf.set(user.id, number);
        users.push(user);
      } catch (error) {
        badLines.push({ line: number, reason: (error as Error).message });
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CliError(
      `cannot read ${path}: ${typeof code === 'string' ? code : (error as Error).message}`,
      EXIT.usage,
    );
  }
  return { users, badLines };
}
