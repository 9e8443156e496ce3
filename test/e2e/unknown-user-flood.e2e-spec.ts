import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryCli } from '../helpers/cli-process';
import { parseMetrics, sampleKey } from '../helpers/metrics';
import { startService, stopService } from '../helpers/service-process';
import { signInOnPort } from '../helpers/sign-in';
import { BASE_ENV, temporarySqliteUrl } from '../helpers/test-app';

const CACHE_MAX = 20;
const FLOOD = 400;

/**
 * An attacker with valid tokens for ids the directory does not hold (an IdP with open sign-up)
 * must not be able to push known users out of the cache: each would then cost a storage read
 * again, and under DIRECTORY_STALE_IF_ERROR_MS lose their fallback.
 */
describe('a flood of sign-ins by users not in the directory', () => {
  const sqlite = temporarySqliteUrl();
  let service: { child: ChildProcess; port: number };

  beforeAll(async () => {
    // Imported before the service starts: no change notification can drop a cached user later.
    const file = join(tmpdir(), `known-users-${process.pid}.jsonl`);
    writeFileSync(
      file,
      Array.from({ length: CACHE_MAX }, (_, i) =>
        JSON.stringify({ id: `known-${i}` }),
      ).join('\n'),
    );
    expect((await directoryCli(sqlite.url, ['import', file])).code).toBe(0);
    const started = await startService(
      {
        ...BASE_ENV,
        DIRECTORY_URL: sqlite.url,
        DIRECTORY_UNKNOWN_USERS: 'deny',
        DIRECTORY_CACHE_MAX_USERS: String(CACHE_MAX),
        DIRECTORY_CACHE_TTL_MS: '600000',
        PORT: '0',
        HOST: '127.0.0.1',
      },
      process.cwd(),
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    service = { child: started.child, port: Number(started.match[1]) };
  });
  afterAll(async () => {
    if (service) await stopService(service.child);
    sqlite.cleanup();
  });

  const metrics = async () => {
    const response = await fetch(`http://127.0.0.1:${service.port}/metrics`);
    const samples = parseMetrics(await response.text());
    return (name: string, labels: Record<string, string>) =>
      samples.get(sampleKey(name, labels)) ?? 0;
  };

  it('answers each with 403, and evicts no known user from the cache', async () => {
    const known = Array.from({ length: CACHE_MAX }, (_, i) => `known-${i}`);
    for (const id of known) {
      expect((await signInOnPort(service.port, id)).status).toBe(200);
    }
    const before = await metrics();
    for (let start = 0; start < FLOOD; start += 50) {
      const wave = Array.from({ length: 50 }, (_, i) =>
        signInOnPort(service.port, `stranger-${start + i}`),
      );
      for (const result of await Promise.all(wave)) {
        expect(result.status).toBe(403);
      }
    }
    for (const id of known) {
      expect((await signInOnPort(service.port, id)).status).toBe(200);
    }
    const after = await metrics();
    const lookups = (sample: typeof after, result: string) =>
      sample('pusher_auth_directory_cache_lookups_total', { result });
    // Every known user was answered from the cache the second time round.
    expect(lookups(after, 'hit') - lookups(before, 'hit')).toBe(CACHE_MAX);
    expect(lookups(after, 'miss') - lookups(before, 'miss')).toBe(FLOOD);
    expect(after('pusher_auth_cache_evictions_total', { cache: 'users' })).toBe(
      0,
    );
  });
});
