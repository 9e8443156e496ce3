import { CliError, EXIT } from './cli-error';
import type { DirectorySession } from './directory-session';
import { readImportFile } from './import-file';
import { say } from './output';
import { ProgressBar } from './progress-bar';

/** Enough to fix a file by; a file that is wrong throughout need not flood the terminal. */
const MAX_REPORTED_LINES = 50;

/** `directory import`: check every line, then write all users in one transaction. */
export async function importUsers(
  session: DirectorySession,
  file: string,
  dryRun: boolean,
): Promise<void> {
  const admin = session.admin();
  const started = performance.now();
  const { users, badLines, warnings } = await readImportFile(
    file,
    session.rules,
  );
  if (badLines.length > 0) {
    for (const { line, reason } of badLines.slice(0, MAX_REPORTED_LINES)) {
      say(`line ${line}: ${reason}`);
    }
    if (badLines.length > MAX_REPORTED_LINES) {
      say(`… and ${badLines.length - MAX_REPORTED_LINES} more bad lines`);
    }
    throw new CliError(
      `${badLines.length} bad line${badLines.length === 1 ? '' : 's'} in ${file}: nothing was imported`,
      EXIT.refused,
    );
  }
  for (const { line, reason } of warnings.slice(0, MAX_REPORTED_LINES)) {
    say(`line ${line}: warning: ${reason}`);
  }
  if (warnings.length > MAX_REPORTED_LINES) {
    say(`… and ${warnings.length - MAX_REPORTED_LINES} more warnings`);
  }
  if (dryRun) {
    say(
      `${users.length} users checked, all valid; nothing written (--dry-run)`,
    );
    return;
  }
  const progress = new ProgressBar('importing', users.length);
  await admin.upsertUsers(users, (written) => progress.update(written));
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  say(
    `imported ${users.length} users in ${seconds.toFixed(2)} s (${Math.round(users.length / Math.max(seconds, 0.001))} users/s)`,
  );
}
