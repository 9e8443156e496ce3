import { Command, Option } from 'commander';
import { isValidUserId, USER_ID_RULE } from '../directory/user-rules';
import { escapeForLog } from '../logging/log-escape';
import { quoteForLog } from '../logging/truncate';
import { CliError, EXIT } from './cli-error';
import type { DirectorySession } from './directory-session';
import { EXPORT_FORMATS, ExportFormat } from './export-format';
import { exportUsers } from './export-users';
import { importUsers } from './import-users';
import { say, write } from './output';
import { checkUser, droppedNote, toRecord } from './user-records';

export type WithSession = (
  work: (session: DirectorySession) => Promise<void>,
) => Promise<void>;

/** `pusher-auth directory <command>`: one small action per command. */
export function registerDirectoryCommands(
  directory: Command,
  withSession: WithSession,
): void {
  directory
    .command('upsert')
    .description(
      'create a user, or change one; an option left out keeps the stored value',
    )
    .argument('<id>', `user id (${USER_ID_RULE})`)
    .option('--info <json>', "user_info, a JSON object (or 'null' to clear it)")
    .option('--watchlist <ids>', "comma-separated ids ('' to clear it)")
    .action((id: string, options: { info?: string; watchlist?: string }) => {
      // Checked before the directory is opened: a typo needs no database to be refused.
      requireValidId(id);
      return withSession(async (session) => {
        const admin = session.admin();
        const stored = await session.directory.findUser(id);
        const { user, dropped } = refuseBroken(() =>
          checkUser(
            {
              id,
              userInfo:
                options.info === undefined
                  ? (stored?.userInfo ?? null)
                  : parseInfo(options.info),
              watchlist:
                options.watchlist === undefined
                  ? (stored?.watchlist ?? [])
                  : splitIds(options.watchlist),
            },
            session.rules,
          ),
        );
        await admin.upsertUsers([user]);
        say(`${stored ? 'updated' : 'created'} user ${JSON.stringify(id)}`);
        if (dropped > 0) say(`warning: ${droppedNote(dropped)}`);
      });
    });

  directory
    .command('remove')
    .description('remove a user (and their watchlist)')
    .argument('<id>', 'user id')
    .action((id: string) => {
      requireValidId(id);
      return withSession(async (session) => {
        if (!(await session.admin().removeUser(id))) {
          throw new CliError(`no user ${JSON.stringify(id)}`, EXIT.refused);
        }
        say(`removed user ${JSON.stringify(id)}`);
      });
    });

  directory
    .command('get')
    .description(
      'print a user as JSON (with custom queries: what your queries return)',
    )
    .argument('<id>', 'user id')
    .action((id: string) =>
      withSession(async (session) => {
        const user = await session.directory.findUser(id);
        if (!user) {
          throw new CliError(`no user ${quoteForLog(id)}`, EXIT.refused);
        }
        process.stdout.write(`${JSON.stringify(toRecord(user), null, 2)}\n`);
        try {
          checkUser(user, session.rules);
        } catch (error) {
          say(
            `warning: this record breaks the user rules, so the service refuses to sign it: ${(error as Error).message}`,
          );
        }
      }),
    );

  directory
    .command('list')
    .description('print every user id, one per line')
    .action(() =>
      withSession((session) =>
        session
          .admin()
          .forEachPage(1_000, (users) =>
            write(
              process.stdout,
              users.map((user) => `${escapeForLog(user.id)}\n`).join(''),
            ),
          ),
      ),
    );

  directory
    .command('import')
    .description(
      'create or replace users from a JSON Lines file, one {"id","user_info","watchlist"} per line; ' +
        'every line is checked first, and a file with a bad line writes nothing',
    )
    .argument('<file>', 'JSON Lines file')
    .option('--dry-run', 'check the file and write nothing')
    .action((file: string, options: { dryRun?: boolean }) =>
      withSession((session) =>
        importUsers(session, file, options.dryRun === true),
      ),
    );

  directory
    .command('export')
    .description('write every user, in id order, to a file or stdout')
    .argument(
      '[file]',
      'output file, created readable by you alone (default: stdout); an existing file is refused without --force',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(EXPORT_FORMATS)
        .default('jsonl'),
    )
    .option('--force', 'replace the file if it exists')
    .action(
      (
        file: string | undefined,
        options: { format: ExportFormat; force?: boolean },
      ) =>
        withSession((session) =>
          exportUsers(session, file, options.format, options.force === true),
        ),
    );
}

function requireValidId(id: string): void {
  if (!isValidUserId(id)) {
    throw new CliError(`the id must be ${USER_ID_RULE}`, EXIT.refused);
  }
}

function parseInfo(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError('--info is not valid JSON', EXIT.refused);
  }
}

function splitIds(list: string): string[] {
  return list
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

function refuseBroken<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message, EXIT.refused);
  }
}
