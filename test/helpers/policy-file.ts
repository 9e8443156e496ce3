import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
