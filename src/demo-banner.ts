import { jwtSettingsOf, mintDevToken } from './auth/jwt/dev-token';
import type { AppConfig } from './config/app-config';
import { DEMO_USERS } from './config/demo-mode';

/** The banner's token is for the day the service was started. */
const DEMO_TOKEN_LIFETIME_S = 24 * 60 * 60;

/**
 * The lines printed at start-up in demo mode, ending with a `curl` that returns a signed answer.
 * The token in it is signed with the public demo secret: it opens nothing but this demo.
 */
export function demoBanner(config: AppConfig, port: number): string {
  const user = DEMO_USERS[0];
  const token = mintDevToken(
    jwtSettingsOf(config)!,
    user.id,
    DEMO_TOKEN_LIFETIME_S,
  );
  const host = ['0.0.0.0', '::', ''].includes(config.http.host)
    ? '127.0.0.1'
    : config.http.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `${origin}${config.http.userAuthPath}`;
  const others = DEMO_USERS.slice(1).map((other) => other.id);
  return [
    "DEMO MODE: nothing is configured, so this instance uses a public demo Pusher app (soketi's",
    'defaults), a public demo JWT secret and demo users. Anyone can sign in as anyone.',
    'Leave it with `cp .env.example .env` (a local set-up to start from) and configure PUSHER_* and JWT_*',
    'before real use; NODE_ENV=production refuses this mode.',
    `Try it (signs in "${user.id}"):`,
    `curl -sS -X POST '${url}' -H 'Authorization: Bearer ${token}' -d socket_id=1234.5678`,
    `And authorize "${user.id}" for their own private channel:`,
    `curl -sS -X POST '${origin}${config.http.channelAuthPath}' -H 'Authorization: Bearer ${token}' -d socket_id=1234.5678 -d channel_name=private-user-${user.id}`,
    `A token for another demo user (${others.join(', ')}), valid for an hour: npx pusher-auth token ${others[0]}`,
  ].join('\n');
}
