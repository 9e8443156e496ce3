import type { Command } from 'commander';
import { CliError, EXIT } from './cli-error';
import { explainDecision } from './explain-decision';

const EXPLAIN_HELP = `
Reads the same settings as the service (the environment and ./.env, real variables winning: the
directory, CHANNEL_POLICY_FILE, PLUGINS…) and decides exactly as the channel endpoint does, printing
every source it consults in order: the user, each rule with its pattern and outcome, each grant,
each relation and what it answered.

Exit codes: 0 allowed   1 refused   2 usage or configuration   3 unavailable (the endpoint answers 503)

Example:
  $ npx pusher-auth explain alice presence-doc-42
  $ npx pusher-auth explain bob private-order-7 --app shop`;

/** `pusher-auth explain <user> <channel> [--app <name>]`: why a channel is allowed or refused. */
export function registerExplainCommand(
  program: Command,
  env: Record<string, string | undefined>,
): void {
  program
    .command('explain')
    .description(
      'explain whether a user may join a channel, and why, as the service decides it',
    )
    .argument('<user-id>', 'the user, as an identity strategy would name them')
    .argument('<channel>', 'the channel name, e.g. presence-doc-42')
    .option('--app <name>', 'the app the request signs for', 'default')
    .addHelpText('after', EXPLAIN_HELP)
    .action(
      async (userId: string, channel: string, options: { app: string }) => {
        const verdict = await explainDecision(
          env,
          userId,
          channel,
          options.app,
        );
        if (verdict === 'unavailable') {
          throw new CliError(
            'the decision could not be made now (503)',
            EXIT.unavailable,
          );
        }
        if (verdict === 'refused') process.exitCode = EXIT.refused;
      },
    );
}
