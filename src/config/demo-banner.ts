import { createSigner } from 'fast-jwt';
import type { AppConfig } from './app-config';
import { DEMO_JWT_SECRET, DEMO_USERS } from './demo-mode';

const DEMO_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * The lines printed at start-up in demo mode, ending with a `curl` that returns a signed answer.
 * The token in it is signed with the public demo secret: it opens nothing but this demo.
 */
export function demoBanner(config: AppConfig, port: number): string {
  const user = DEMO_USERS[0];
  const token = createSigner({
    key: DEMO_JWT_SECRET,
    algorithm: 'HS256',
    expiresIn: DEMO_TOKEN_LIFETIME_MS,
  })({ sub: user.id });
  const host = ['0.0.0.0', '::', ''].includes(config.http.host)
    ? '127.0.0.1'
    : config.http.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `${origin}${config.http.userAuthPath}`;
  return [
    "DEMO MODE: nothing is configured, so this instance uses a public demo Pusher app (soketi's",
    'defaults), a public demo JWT secret and demo users. Anyone can sign in as anyone.',
    'Configure PUSHER_* and JWT_* (see .env.example) before real use; NODE_ENV=production refuses this mode.',
    `Try it (signs in "${user.id}"):`,
    `curl -sS -X POST '${url}' -H 'Authorization: Bearer ${token}' -d socket_id=1234.5678`,
    `And authorize "${user.id}" for their own private channel:`,
    `curl -sS -X POST '${origin}${config.http.channelAuthPath}' -H 'Authorization: Bearer ${token}' -d socket_id=1234.5678 -d channel_name=private-user-${user.id}`,
  ].join('\n');
}
