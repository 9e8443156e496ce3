import { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedChannelAuth } from './channel-signature';
import { expectedUserAuth } from './pusher-signature';
import { startService, stopService } from './service-process';

/** The Pusher app every plugin spec signs for; the specs recompute each signature with it. */
export const PLUGIN_PUSHER = {
  appId: '1',
  key: 'plugin-app-key',
  secret: 'plugin-app-secret-not-a-real-one',
} as const;

/**
 * A minimal real configuration (so not demo mode) for the compiled service: the Pusher app, a free
 * port on 127.0.0.1, an SQLite directory in `dir` that signs unknown users from their claims.
 */
export function pluginServiceEnv(
  dir: string,
  env: Record<string, string>,
): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    PUSHER_APP_ID: PLUGIN_PUSHER.appId,
    PUSHER_KEY: PLUGIN_PUSHER.key,
    PUSHER_SECRET: PLUGIN_PUSHER.secret,
    DIRECTORY_URL: `sqlite://${join(dir, 'directory.db')}`,
    DIRECTORY_UNKNOWN_USERS: 'claims',
    ...env,
  };
}

export interface RunningService {
  origin: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export const LISTENING = /listening on 127\.0\.0\.1:(\d+)/;

/** `dist/main.js` with `env`, run in `cwd` (PLUGINS paths are relative to it), once it listens. */
export async function startPluginService(
  env: Record<string, string>,
  cwd: string,
): Promise<RunningService> {
  const { child, output, match } = await startService(env, cwd, LISTENING);
  return {
    origin: `http://127.0.0.1:${match[1]}`,
    child,
    output,
    stop: () => stopService(child),
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
  /** The body as JSON; its shape is the test's to assert. */
  json: () => Record<string, any>;
}

/** A form POST over real HTTP, as pusher-js sends it; `fields` may repeat a name. */
export async function postForm(
  origin: string,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body,
    json: () => JSON.parse(body) as Record<string, any>,
  };
}

/** Writes a plugin's source to `dir/file` and answers its absolute path. */
export function writePlugin(dir: string, file: string, source: string): string {
  const path = join(dir, file);
  writeFileSync(path, source);
  return path;
}

/**
 * The JSON a 200 answer signs in `field`, once its `auth` is what `expectedAuth` recomputes
 * for that field with PLUGIN_PUSHER's key and secret, independently of the service.
 */
function signedPayload(
  answer: Answer,
  field: 'user_data' | 'channel_data',
  expectedAuth: (key: string, secret: string, payload: string) => string,
): Record<string, unknown> {
  expect(answer.status).toBe(200);
  const body = answer.json();
  const payload = body[field] as string;
  expect(body.auth).toBe(
    expectedAuth(PLUGIN_PUSHER.key, PLUGIN_PUSHER.secret, payload),
  );
  return JSON.parse(payload) as Record<string, unknown>;
}

/** The user a sign-in answer signs, once it is a 200 whose signature checks out with PLUGIN_PUSHER. */
export function signedPluginUser(
  answer: Answer,
  socketId: string,
): Record<string, unknown> {
  return signedPayload(answer, 'user_data', (key, secret, userData) =>
    expectedUserAuth(key, secret, socketId, userData),
  );
}

/**
 * The member a presence channel's answer signs, once it is a 200 whose signature (over the
 * channel and its channel_data) checks out with PLUGIN_PUSHER.
 */
export function signedPluginPresenceMember(
  answer: Answer,
  socketId: string,
  channel: string,
): Record<string, unknown> {
  return signedPayload(answer, 'channel_data', (key, secret, channelData) =>
    expectedChannelAuth(key, secret, socketId, channel, channelData),
  );
}
