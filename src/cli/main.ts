import { existsSync } from 'node:fs';
import { CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import { buildProgram } from './program';

/**
 * `npx pusher-auth <command>`: the operator's command line (see `--help`). Started by
 * bin/pusher-auth.js, the executable npm links; this compiled file is not executable itself.
 */
async function main(): Promise<number> {
  // Like the service: variables already in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  // A closed pipe (`export | head`) ends the output, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  try {
    await buildProgram(process.env).parseAsync(process.argv);
    // A command that answered "no" (explain: refused) set its own code.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the help or the usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`pusher-auth: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `pusher-auth: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.unavailable;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
