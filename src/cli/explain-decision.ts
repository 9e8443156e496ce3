import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DynamicModule, Module } from '@nestjs/common';
import { checkChannelName } from '../channels/channel-name';
import { ChannelPolicy } from '../channels/channel-policy.service';
import { ChannelsModule } from '../channels/channels.module';
import type { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/app-config.module';
import { ConfigError } from '../config/config-error';
import {
  DirectoryUnavailableError,
  InvalidUserRecordError,
  UnknownUserError,
} from '../directory/directory.errors';
import { DirectoryModule } from '../directory/directory.module';
import { UserLookupService } from '../directory/user-lookup.service';
import { quoteForLog } from '../logging/truncate';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import { describeStartupError } from '../startup-error';
import { CliError, EXIT } from './cli-error';

/** The parts of the service a channel decision needs: the directory and the policy, nothing else. */
@Module({})
class DecisionModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DecisionModule,
      imports: [
        AppConfigModule.forRoot(config),
        DirectoryModule,
        ChannelsModule,
      ],
    };
  }
}

export type ExplainedVerdict = 'allowed' | 'refused' | 'unavailable';

const print = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Decides with the service's own UserLookupService and ChannelPolicy (built from the same
 * configuration), printing each step: there is no second implementation of the decision.
 */
export async function explainDecision(
  env: Record<string, string | undefined>,
  userId: string,
  channel: string,
  app: string,
): Promise<ExplainedVerdict> {
  const config = await configFrom(env);
  if (!config.apps.some((known) => known.name === app)) {
    throw new CliError(
      `no app named ${quoteForLog(app)} (configured: ${config.apps.map((known) => known.name).join(', ')})`,
      EXIT.usage,
    );
  }
  const name = checkChannelName(channel);
  if (name.problem) throw new CliError(name.problem, EXIT.usage);
  let context: INestApplicationContext;
  try {
    context = await NestFactory.createApplicationContext(
      DecisionModule.forRoot(config),
      { logger: false, abortOnError: false },
    );
  } catch (error) {
    // A relation query the database refuses is configuration; anything else is storage.
    if (error instanceof ConfigError) {
      throw new CliError(error.message, EXIT.usage);
    }
    throw new CliError(describeStartupError(error), EXIT.unavailable);
  }
  try {
    return await explainWith(context, userId, channel, app);
  } finally {
    await context.close();
  }
}

async function explainWith(
  context: INestApplicationContext,
  userId: string,
  channel: string,
  app: string,
): Promise<ExplainedVerdict> {
  const who = `user ${quoteForLog(userId)}`;
  let user;
  try {
    user = await context.get(UserLookupService).lookup(userId, {});
  } catch (error) {
    if (error instanceof UnknownUserError) {
      print(`${who}: not in the directory (DIRECTORY_UNKNOWN_USERS=deny)`);
      print(
        'REFUSED: every channel is refused to a user the directory does not accept',
      );
      return 'refused';
    }
    if (error instanceof InvalidUserRecordError) {
      print(`${who}: the record breaks a user rule: ${error.rule}`);
      print(
        'REFUSED: every channel is refused to a user the directory does not accept',
      );
      return 'refused';
    }
    if (error instanceof DirectoryUnavailableError) {
      print(`${who}: the directory could not be read`);
      return 'unavailable';
    }
    throw error;
  }
  const watched = user.watchlist?.length ?? 0;
  print(
    `${who}: accepted (user_info ${user.user_info ? JSON.stringify(user.user_info) : 'none'}, watching ${watched})`,
  );
  print(`channel ${channel} (app ${app}):`);
  let step = 0;
  const decider = context.get(ChannelPolicy).forUser(user.id, app);
  try {
    const verdict = await decider.decide(channel, (consulted) => {
      step += 1;
      print(`  ${step}. ${consulted.source}: ${consulted.outcome}`);
    });
    if (step === 0) print('  (no rule or grant applies to this app)');
    if (!verdict.allowed) {
      print(`REFUSED: ${verdict.reason}`);
      return 'refused';
    }
    const info = verdict.userInfo
      ? `; presence user_info from the relation ${JSON.stringify(verdict.userInfo)}`
      : '';
    print(`ALLOWED by ${verdict.reason}${info}`);
    return 'allowed';
  } catch (error) {
    if (
      error instanceof IdentityProviderUnavailable ||
      error instanceof DirectoryUnavailableError
    ) {
      print(
        `UNAVAILABLE: ${error.message} (the endpoint answers 503 and signs nothing)`,
      );
      return 'unavailable';
    }
    throw error;
  }
}

async function configFrom(
  env: Record<string, string | undefined>,
): Promise<AppConfig> {
  const { loadConfigWithPlugins } =
    await import('../extensions/service-config.js');
  try {
    return await loadConfigWithPlugins(env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}
