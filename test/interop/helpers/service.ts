import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openUserDirectory } from '../../../src/directory/backends/open-user-directory';
import type { DirectoryUser } from '../../../src/directory/directory-user';
import { SERVICE_ENTRY, startService } from '../../helpers/service-process';
import { StartedProcess, stopProcess } from './child-process';
import { LOOPBACK, RunningSoketi } from './soketi';

export interface RunningService {
  /** Where pusher-js's `userAuthentication.endpoint` points. */
  userAuthEndpoint: string;
  process: StartedProcess;
  stop(): Promise<void>;
}

/** Writes the users into a fresh SQLite directory through the service's own storage layer. */
export async function seedSqliteDirectory(
  file: string,
  users: DirectoryUser[],
): Promise<void> {
  const directory = openUserDirectory(`sqlite://${file}`);
  try {
    await directory.migrate();
    for (const user of users) await directory.upsertUser(user);
  } finally {
    await directory.close();
  }
}

/** The compiled service, as an operator runs it, signing for soketi's app. */
export async function startPusherAuth(options: {
  workDir: string;
  soketi: RunningSoketi;
  jwtSecret: string;
  users: DirectoryUser[];
}): Promise<RunningService> {
  const { workDir, soketi, jwtSecret, users } = options;
  if (!existsSync(SERVICE_ENTRY)) {
    throw new Error(
      `${SERVICE_ENTRY} is missing: run "npm run build" (npm run test:interop does it first)`,
    );
  }
  const directoryFile = join(workDir, 'directory.db');
  await seedSqliteDirectory(directoryFile, users);
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
      JWT_SECRET: jwtSecret,
      DIRECTORY_URL: `sqlite://${directoryFile}`,
      LOG_LEVEL: 'info',
      NO_COLOR: '1',
    },
    workDir,
    /listening on 127\.0\.0\.1:(\d+), sign-in at (\/\S*)/,
  );
  const [, port, path] = match;
  return {
    userAuthEndpoint: `http://${LOOPBACK}:${port}${path}`,
    process: { name: 'pusher-auth', child, output },
    stop: () => stopProcess(child),
  };
}
