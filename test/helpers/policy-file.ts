import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Finished, runServiceToExit } from './service-process';
import { TEST_JWT_SECRET } from './test-app';

/** A channel policy written to a fresh temporary folder, removed by `cleanup`. */
export function writePolicyFile(
  content: string,
  name = 'channel-policy.yaml',
): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-policy-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return {
    path,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Writes `content` to `workDir`/policy.yaml and runs the compiled service with it (a Pusher app,
 * a JWT secret and an in-memory directory besides) until it exits: for a policy that must stop
 * start-up.
 */
export function runServiceWithPolicyFile(
  workDir: string,
  content: string,
): Promise<Finished> {
  writeFileSync(join(workDir, 'policy.yaml'), content);
  return runServiceToExit(
    {
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'key',
      PUSHER_SECRET: 'secret-secret',
      JWT_SECRET: TEST_JWT_SECRET,
      DIRECTORY_URL: 'sqlite://:memory:',
      CHANNEL_POLICY_FILE: './policy.yaml',
    },
    workDir,
  );
}
