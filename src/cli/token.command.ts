import type { Command } from 'commander';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import { INVALID_USER_ID, isValidUserId } from '../directory/user-rules';
import { CliError, EXIT } from './cli-error';
import { say } from './output';

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600 };
/** Without `--ttl`. */
const DEFAULT_TTL_S = 60 * 60;
/** A token printed on a terminal may end up in a shell history: it should not outlive the day. */
const MAX_TTL_S = 24 * 60 * 60;

const TOKEN_HELP = `
Reads the same settings as the service (the environment and ./.env, real variables winning), so
the token carries the issuer, audience and user-id claim the service checks. Refused with
NODE_ENV=production and when the key is public or remote (JWT_PUBLIC_KEY, JWT_JWKS_URI, OIDC_ISSUER).

Example:
  $ curl -sS -X POST http://127.0.0.1:3000/pusher/user-auth \\
      -H "Authorization: Bearer $(npx pusher-auth token bob)" -d socket_id=1234.5678`;

/** `pusher-auth token <user-id>`: a short-lived token to try the service with, on stdout. */
export function registerTokenCommand(
  program: Command,
  env: Record<string, string | undefined>,
): void {
  program
    .command('token')
    .description(
      'print a short-lived JWT for a user, signed with the configured JWT_SECRET (not in production)',
    )
    .argument('<user-id>', 'the user the token names')
    .option(
      '--ttl <duration>',
      `how long it is valid: seconds, or a number with s, m or h (at most ${MAX_TTL_S / 3600}h)`,
      `${DEFAULT_TTL_S / 3600}h`,
    )
    .addHelpText('after', TOKEN_HELP)
    .action(async (userId: string, options: { ttl: string }) => {
      const ttlS = parseTtl(options.ttl);
      if (!isValidUserId(userId)) {
        throw new CliError(`the user ${INVALID_USER_ID}`, EXIT.refused);
      }
      const config = await loadServiceConfig(env);
      // Imported on use, like the configuration: the directory commands start faster without.
      const { devTokenRefusal, jwtSettingsOf, mintDevToken } =
        await import('../auth/jwt/dev-token.js');
      const refusal = devTokenRefusal(config);
      if (refusal) throw new CliError(refusal, EXIT.usage);
      // devTokenRefusal found the jwt strategy enabled with a static secret.
      const jwt = jwtSettingsOf(config)!;
      const token = mintDevToken(jwt, userId, ttlS);
      process.stdout.write(`${token}\n`);
      const until = new Date(Date.now() + ttlS * 1000).toISOString();
      say(
        `token for ${JSON.stringify(userId)}, ${jwt.keys.algorithms[0]} with ${config.demo.enabled ? 'the public demo secret (demo mode)' : 'JWT_SECRET'}, valid until ${until}`,
      );
    });
}

/** `90`, `90s`, `15m`, `1h`: bounded, so a forgotten token stops working the same day. */
export function parseTtl(text: string): number {
  const match = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_S[match[2] || 's'] : NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_S)) {
    throw new CliError(
      `--ttl must be from 1s to ${MAX_TTL_S / 3600}h, like 90s, 15m or 1h`,
      EXIT.usage,
    );
  }
  return seconds;
}

/** The service's own loader (imported on use: the directory commands need none of it). */
async function loadServiceConfig(
  env: Record<string, string | undefined>,
): Promise<AppConfig> {
  const service = await import('../extensions/service-config.js');
  try {
    return await service.loadConfigWithPlugins(env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}
