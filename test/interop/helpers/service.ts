import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDirectoryConnection } from '../../../src/directory/backends/directory-connection';
import {
  openDirectoryAdmin,
  openUserDirectory,
} from '../../../src/directory/backends/open-directory-backend';
import type { ChannelGrant } from '../../../src/directory/channel-grant';
import type { DirectoryUser } from '../../../src/directory/directory-user';
import { SERVICE_ENTRY, startService } from '../../helpers/service-process';
import { StartedProcess, stopProcess } from './child-process';
import { LOOPBACK, RunningSoketi } from './soketi';

export interface RunningService {
  /** `http://127.0.0.1:<port>`: the app-scoped paths are `/apps/{name}/pusher/user-auth` and `…/auth`. */
  origin: string;
  /** Where pusher-js's `userAuthentication.endpoint` points. */
  userAuthEndpoint: string;
  /** Where pusher-js's `channelAuthorization.endpoint` points. */
  channelAuthEndpoint: string;
  /** The service's `DIRECTORY_URL` (a SQLite file in the work folder), for the directory CLI. */
  directoryUrl: string;
  process: StartedProcess;
  stop(): Promise<void>;
}

/** What the directory holds when the service starts. */
export interface DirectoryContents {
  users: DirectoryUser[];
  groupMembers?: { groupId: string; userId: string }[];
  grants?: ChannelGrant[];
}

/** What a spec sets about the service beyond the wiring to soketi. */
export interface ServiceSetup extends DirectoryContents {
  /** Written to a file in the work folder and named by `CHANNEL_POLICY_FILE`. */
  channelPolicy?: Record<string, unknown>;
  /** More settings (`CORS_ORIGINS`, `JSONP_ENABLED`, …), over the suite's own. */
  env?: Record<string, string>;
}

/**
 * soketi's apps after the first, as the service's PUSHER_APPS_FILE entries (JSON, which the YAML
 * reader takes too), each secret in its own variable as the file requires.
 */
function appsFileFor(
  workDir: string,
  soketi: RunningSoketi,
): Record<string, string> {
  const others = soketi.apps.slice(1);
  if (others.length === 0) return {};
  const secretEnv = (name: string) =>
    `${name.toUpperCase().replace(/-/g, '_')}_PUSHER_SECRET`;
  const file = join(workDir, 'pusher-apps.json');
  const apps = others.map((app) => ({
    name: app.name,
    app_id: app.id,
    key: app.key,
    secret_env: secretEnv(app.name),
    host: LOOPBACK,
    port: soketi.port,
    use_tls: false,
  }));
  writeFileSync(file, JSON.stringify({ apps }, null, 2));
  const env: Record<string, string> = { PUSHER_APPS_FILE: file };
  for (const app of others) env[secretEnv(app.name)] = app.secret;
  return env;
}

/** Writes users, group memberships and grants into a fresh SQLite directory through the service's own storage layer. */
export async function seedSqliteDirectory(
  file: string,
  contents: DirectoryContents,
): Promise<void> {
  const connection = openDirectoryConnection(`sqlite://${file}`);
  const directory = openUserDirectory(connection);
  const admin = openDirectoryAdmin(connection);
  try {
    await directory.migrate();
    await admin.upsertUsers(contents.users);
    for (const { groupId, userId } of contents.groupMembers ?? []) {
      await admin.addGroupMember(groupId, userId);
    }
    for (const grant of contents.grants ?? []) {
      await admin.grantChannel(grant);
    }
  } finally {
    await directory.close();
  }
}

/** The compiled service, as an operator runs it, signing for soketi's app. */
export async function startPusherAuth(
  options: ServiceSetup & {
    workDir: string;
    soketi: RunningSoketi;
    jwtSecret: string;
    encryptionMasterKeyBase64: string;
  },
): Promise<RunningService> {
  const { workDir, soketi, jwtSecret, channelPolicy, env = {} } = options;
  if (!existsSync(SERVICE_ENTRY)) {
    throw new Error(
      `${SERVICE_ENTRY} is missing: run "npm run build" (npm run test:interop does it first)`,
    );
  }
  const directoryFile = join(workDir, 'directory.db');
  const directoryUrl = `sqlite://${directoryFile}`;
  await seedSqliteDirectory(directoryFile, options);
  const policyEnv: Record<string, string> = {};
  if (channelPolicy) {
    const policyFile = join(workDir, 'channel-policy.json');
    writeFileSync(policyFile, JSON.stringify(channelPolicy, null, 2));
    policyEnv.CHANNEL_POLICY_FILE = policyFile;
  }
  const { child, output, match } = await startService(
    {
      HOST: LOOPBACK,
      PORT: '0',
      PUSHER_APP_ID: soketi.app.id,
      PUSHER_KEY: soketi.app.key,
      PUSHER_SECRET: soketi.app.secret,
      PUSHER_HOST: LOOPBACK,
      PUSHER_PORT: String(soketi.port),
      PUSHER_USE_TLS: 'false',
      PUSHER_ENCRYPTION_MASTER_KEY_BASE64: options.encryptionMasterKeyBase64,
      JWT_SECRET: jwtSecret,
      DIRECTORY_URL: directoryUrl,
      LOG_LEVEL: 'info',
      NO_COLOR: '1',
      ...policyEnv,
      ...appsFileFor(workDir, soketi),
      ...env,
    },
    workDir,
    // The line is plain text or (pino) a JSON string: a path ends at a quote too.
    /listening on 127\.0\.0\.1:(\d+), sign-in at (\/[^\s,"]*), channels at (\/[^\s"]*)/,
  );
  const [, port, userAuthPath, channelAuthPath] = match;
  const origin = `http://${LOOPBACK}:${port}`;
  return {
    origin,
    userAuthEndpoint: `${origin}${userAuthPath}`,
    channelAuthEndpoint: `${origin}${channelAuthPath}`,
    directoryUrl,
    process: { name: 'pusher-auth', child, output },
    stop: () => stopProcess(child),
  };
}
