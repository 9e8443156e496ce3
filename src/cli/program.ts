import { Command } from 'commander';
import { ConfigError } from '../config/config-error';
import { loadDirectoryToolConfig } from '../config/directory.config';
import { DirectoryQueryError } from '../directory/directory.errors';
import { describeStartupError } from '../startup-error';
import { CliError, EXIT } from './cli-error';
import { registerChannelAccessCommands } from './channel-access.commands';
import { registerDirectoryCommands, WithSession } from './directory.commands';
import { DirectorySession } from './directory-session';
import { registerExplainCommand } from './explain.command';
import { registerTokenCommand } from './token.command';

const DIRECTORY_HELP = `
Environment (also read from ./.env; real variables win):
  DIRECTORY_URL         postgres://…, sqlite://<file> (default sqlite://./data/directory.db)
  WATCHLIST_MAX, USER_INFO_MAX_BYTES   the user rules every record is checked against
  DIRECTORY_USER_QUERY  when set, only "get" works (the service reads your own tables, and no grants)

Exit codes:
  0 done   1 refused (bad record or import line, unknown id)   2 usage or configuration   3 directory unreachable

Examples:
  $ pusher-auth directory upsert alice --info '{"name":"Alice"}' --watchlist bob,carol
  $ pusher-auth directory export users.jsonl
  $ pusher-auth directory import users.jsonl
  $ pusher-auth directory grant group support 'presence-room-*'
  $ pusher-auth directory groups add support bob`;

/** The command line; `env` is the environment the directory settings are read from. */
export function buildProgram(env: Record<string, string | undefined>): Command {
  const program = new Command('pusher-auth')
    .description('pusher-auth operator commands')
    // Errors are thrown to main, which owns the exit codes.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  const directory = program
    .command('directory')
    .description('manage the user directory that DIRECTORY_URL names')
    .addHelpText('after', DIRECTORY_HELP);
  const withSession: WithSession = (work) => runWithSession(env, work);
  registerDirectoryCommands(directory, withSession);
  registerChannelAccessCommands(directory, withSession);
  registerTokenCommand(program, env);
  registerExplainCommand(program, env);
  return program;
}

async function runWithSession(
  env: Record<string, string | undefined>,
  work: (session: DirectorySession) => Promise<void>,
): Promise<void> {
  let session: DirectorySession;
  try {
    session = await DirectorySession.open(loadDirectoryToolConfig(env));
  } catch (error) {
    throw asCliError(error);
  }
  try {
    await work(session);
  } catch (error) {
    throw asCliError(error);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** One line an operator can act on; never a stack, never the connection string. */
function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ConfigError)
    return new CliError(error.message, EXIT.usage);
  if (error instanceof DirectoryQueryError) {
    return new CliError(error.message, EXIT.usage);
  }
  // Anything else comes from storage (Kysely and the drivers throw their own errors).
  return new CliError(describeStartupError(error), EXIT.unavailable);
}
