import { constants } from 'node:fs';
import { copyFile, link, lstat, open, rename, rm } from 'node:fs/promises';
import type { DirectorySession } from './directory-session';
import { ExportFormat, exportHeader, exportLine } from './export-format';
import { say, write } from './output';
import { CliError, EXIT } from './cli-error';

const PAGE_SIZE = 1_000;

/** The file holds every user's `user_info`: readable by its owner alone, whatever the umask. */
const FILE_MODE = 0o600;

/**
 * `directory export`: every user in id order, from one snapshot. A file is written beside its
 * destination and moved into place at the end, so a failed export never leaves half a file. An
 * existing file is refused unless `force`: it may be another export, or anything else.
 */
export async function exportUsers(
  session: DirectorySession,
  file: string | undefined,
  format: ExportFormat,
  force = false,
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
  // Asked first, so a refusal does not wait for the whole directory to be read.
  if (!force && (await exists(file))) throw refusedExisting(file);
  const partial = `${file}.${process.pid}.partial`;
  // Created here, exclusively, with its final mode: the users are never readable by others.
  const handle = await open(partial, 'wx', FILE_MODE).catch(
    (error: unknown) => {
      throw new CliError(`cannot write ${file}: ${codeOf(error)}`, EXIT.usage);
    },
  );
  try {
    await handle.write(exportHeader(format));
    await admin.forEachPage(PAGE_SIZE, async (users) => {
      count += users.length;
      await handle.write(lines(users, format));
    });
    await handle.close();
    await moveIntoPlace(partial, file, force);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  say(`exported ${count} users to ${file}`);
}

/**
 * With `force`, rename replaces whatever is there (a symlink itself, not its target) with the
 * new 0600 file. Without, the name is created only if nothing took it meanwhile: a hard link,
 * or an exclusive copy (it keeps the mode) where the file system has no hard links.
 */
async function moveIntoPlace(
  partial: string,
  file: string,
  force: boolean,
): Promise<void> {
  if (force) return rename(partial, file);
  try {
    await link(partial, file).catch((error: unknown) => {
      if (codeOf(error) === 'EEXIST') throw error;
      return copyFile(partial, file, constants.COPYFILE_EXCL);
    });
  } catch (error) {
    if (codeOf(error) === 'EEXIST') throw refusedExisting(file);
    throw new CliError(`cannot write ${file}: ${codeOf(error)}`, EXIT.usage);
  }
  await rm(partial, { force: true });
}

function refusedExisting(file: string): CliError {
  return new CliError(
    `${file} already exists: nothing was exported (--force replaces it)`,
    EXIT.usage,
  );
}

async function exists(path: string): Promise<boolean> {
  // The name itself: a dangling symlink is still something not to replace unasked.
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : (error as Error).message;
}

function lines(
  users: Parameters<typeof exportLine>[0][],
  format: ExportFormat,
): string {
  return users.map((user) => exportLine(user, format)).join('');
}
