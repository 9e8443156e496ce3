import { open, rename, rm } from 'node:fs/promises';
import type { DirectorySession } from './directory-session';
import { ExportFormat, exportHeader, exportLine } from './export-format';
import { say, write } from './output';
import { CliError, EXIT } from './cli-error';

const PAGE_SIZE = 1_000;

/**
 * `directory export`: every user in id order, from one snapshot. A file is written beside its
 * destination and renamed into place at the end, so a failed export never leaves half a file.
 */
export async function exportUsers(
  session: DirectorySession,
  file: string | undefined,
  format: ExportFormat,
): Promise<void> {
  const admin = session.admin();
  let count = 0;
  if (file === undefined) {
    await write(process.stdout, exportHeader(format));
    await admin.forEachPage(PAGE_SIZE, async (users) => {
      count += users.length;
      await write(process.stdout, lines(users, format));
    });
    say(`exported ${count} users`);
    return;
  }
  const partial = `${file}.${process.pid}.partial`;
  const handle = await open(partial, 'wx').catch((error: unknown) => {
    throw new CliError(
      `cannot write ${file}: ${(error as { code?: string }).code ?? (error as Error).message}`,
      EXIT.usage,
    );
  });
  try {
    await handle.write(exportHeader(format));
    await admin.forEachPage(PAGE_SIZE, async (users) => {
      count += users.length;
      await handle.write(lines(users, format));
    });
    await handle.close();
    await rename(partial, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  say(`exported ${count} users to ${file}`);
}

function lines(
  users: Parameters<typeof exportLine>[0][],
  format: ExportFormat,
): string {
  return users.map((user) => exportLine(user, format)).join('');
}
