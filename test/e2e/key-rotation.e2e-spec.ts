import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TestPusherApp, writeAppsFile } from '../helpers/apps-file';
import { claimsFor, signJwt } from '../helpers/jwt';
import { parseMetrics, sampleKey } from '../helpers/metrics';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { ReadinessBalancer } from '../helpers/readiness-balancer';
import { startService, stopService } from '../helpers/service-process';
import { SignInStream } from '../helpers/sign-in-stream';
import { BASE_ENV, TEST_JWT_SECRET } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The key being retired and its successor: one Pusher app (same app_id), two keys. */
const OLD_KEY: TestPusherApp = {
  name: 'web',
  appId: '5001',
  key: 'web-key-2025',
  secret: 'web-2025-secret-0123456789abcdef',
};
const NEW_KEY: TestPusherApp = {
  name: 'web-2026',
  appId: '5001',
  key: 'web-key-2026',
  secret: 'web-2026-secret-0123456789abcdef',
};

const userAuthPath = (app: TestPusherApp) =>
  `/apps/${app.name}/pusher/user-auth`;
const signedSeries = (app: TestPusherApp) =>
  sampleKey('pusher_auth_app_requests_total', {
    app: app.name,
    endpoint: '/apps/:app/pusher/user-auth',
    outcome: 'signed',
  });

/**
 * Long next to the balancer's probe interval (50 ms): the time a replica answers not-ready while
 * still serving, before its listener closes. The procedure in docs/apps.md depends on it.
 */
const SHUTDOWN_DELAY_MS = 1_500;

interface Replica {
  child: ChildProcess;
  port: number;
  output: () => string;
  exitCode: () => number | null | undefined;
}

/**
 * docs/apps.md's "Rotating an app's key without downtime", step by step, on two replicas of the
 * compiled service sharing one PostgreSQL directory, behind a load balancer that routes by
 * readiness probe and never retries. Clients sign in without pause throughout.
 */
describe("rotating an app's key across two replicas without a failed request", () => {
  let database: TestDatabase;
  let balancer: ReadinessBalancer;
  let workDir: string;
  const appsFiles: ReturnType<typeof writeAppsFile>[] = [];
  const replicas: Replica[] = [];
  const streams: SignInStream[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-rotation-'));
    balancer = await ReadinessBalancer.start();
  });
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.stop()));
    await Promise.all(replicas.map((replica) => stopService(replica.child)));
    await balancer?.stop();
    await database?.drop();
    for (const file of appsFiles) file.cleanup();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** A replica with this apps file, taking traffic once the balancer's probe finds it ready. */
  async function startReplica(apps: TestPusherApp[]): Promise<Replica> {
    const appsFile = writeAppsFile(apps);
    appsFiles.push(appsFile);
    const started = await startService(
      {
        ...BASE_ENV,
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        DIRECTORY_URL: database.url,
        SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
        ...appsFile.env,
      },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    let exitCode: number | null | undefined;
    started.child.once('exit', (code) => (exitCode = code));
    const replica: Replica = {
      child: started.child,
      port: Number(started.match[1]),
      output: started.output,
      exitCode: () => exitCode,
    };
    balancer.add(replica.port);
    await waitFor(
      `the balancer to find replica ${replica.port} ready`,
      () => balancer.isReady(replica.port),
      30_000,
    );
    return replica;
  }

  /** SIGTERM, as an orchestrator restarts a pod; the balancer must take it out by its probe. */
  async function stopReplica(replica: Replica): Promise<void> {
    replica.child.kill('SIGTERM');
    const code = await waitFor(
      `replica ${replica.port} to exit`,
      () => replica.exitCode() !== undefined && { code: replica.exitCode() },
      SHUTDOWN_DELAY_MS + 20_000,
    );
    expect(code).toEqual({ code: 0 });
    // Its probe said 503 while it still answered: the balancer never met a closed listener first.
    const changes = balancer.backend(replica.port).probeChanges;
    expect(changes[changes.lastIndexOf('200') + 1]).toBe('503');
    expect(replica.output()).toMatch(/SIGTERM: readiness is now 503/);
    balancer.remove(replica.port);
  }

  /** "Restart the replicas one by one" with a new apps file. */
  async function rollingRestart(apps: TestPusherApp[]): Promise<void> {
    for (let index = 0; index < replicas.length; index++) {
      await stopReplica(replicas[index]);
      replicas[index] = await startReplica(apps);
    }
  }

  function stream(app: TestPusherApp): SignInStream {
    const started = new SignInStream(
      balancer.origin,
      userAuthPath(app),
      app,
      'alice',
    );
    streams.push(started);
    return started;
  }

  /** Requests a stream has had answered, at least `more` beyond now. */
  const answeredMore = (signIns: SignInStream, more: number) => {
    const target = signIns.answered + more;
    return waitFor(
      `${more} more sign-ins on ${signIns.path}`,
      () => signIns.answered >= target,
      30_000,
    );
  };

  /** Each replica scraped directly, as Prometheus scrapes every pod. */
  async function signedOnEveryReplica(app: TestPusherApp): Promise<number[]> {
    return Promise.all(
      replicas.map(async ({ port }) => {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(response.status).toBe(200);
        const samples = parseMetrics(await response.text());
        return samples.get(signedSeries(app)) ?? 0;
      }),
    );
  }
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

  it('walks the documented procedure: add the new key, move clients, watch the old counter reach zero, remove the old key', async () => {
    // Before: the old key only, on both replicas; alice is in the shared directory.
    replicas.push(await startReplica([OLD_KEY]), await startReplica([OLD_KEY]));
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin
      .query(
        `INSERT INTO directory_users (id, user_info) VALUES ('alice', NULL)`,
      )
      .finally(() => admin.end());
    const oldClients = stream(OLD_KEY);
    await answeredMore(oldClients, 20);

    // 1. Add the new key as a second entry; restart the replicas one by one.
    let answeredBefore = oldClients.answered;
    await rollingRestart([OLD_KEY, NEW_KEY]);
    expect(oldClients.answered).toBeGreaterThan(answeredBefore);
    expect(oldClients.failures).toEqual([]);

    // 2. New frontend builds use the new path; then the last old client reloads.
    const newClients = stream(NEW_KEY);
    await answeredMore(newClients, 20);
    await answeredMore(oldClients, 20);
    await oldClients.stop();
    expect(oldClients.failures).toEqual([]);
    expect(newClients.failures).toEqual([]);

    // 3. The old entry's counter: every request each replica was given on the old path is counted
    //    there, then it stops growing while the new one grows.
    const forwardedOld = () =>
      replicas.map(
        ({ port }) =>
          balancer.backend(port).forwarded.get(userAuthPath(OLD_KEY)) ?? 0,
      );
    const oldUse = await waitFor(
      'each replica to count the old-path sign-ins it answered',
      async () => {
        const counted = await signedOnEveryReplica(OLD_KEY);
        return counted.join() === forwardedOld().join() && counted;
      },
    );
    expect(oldUse.every((count) => count > 0)).toBe(true);
    const newUse = total(await signedOnEveryReplica(NEW_KEY));
    await waitFor(
      "the new key's counter to grow by 100",
      async () => total(await signedOnEveryReplica(NEW_KEY)) >= newUse + 100,
      30_000,
    );
    expect(await signedOnEveryReplica(OLD_KEY)).toEqual(oldUse);

    // 4. Remove the old entry (and its secret variable); restart the replicas one by one.
    answeredBefore = newClients.answered;
    await rollingRestart([NEW_KEY]);
    expect(newClients.answered).toBeGreaterThan(answeredBefore);
    await newClients.stop();
    expect(newClients.failures).toEqual([]);

    // The old path now signs nothing, on every replica and through the balancer.
    const token = signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
    const origins = [
      balancer.origin,
      ...replicas.map(({ port }) => `http://127.0.0.1:${port}`),
    ];
    for (const origin of origins) {
      const response = await fetch(`${origin}${userAuthPath(OLD_KEY)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'socket_id=1.1',
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        statusCode: 404,
        message: 'Not Found',
        error: 'Not Found',
      });
    }
    expect(await signedOnEveryReplica(OLD_KEY)).toEqual([0, 0]);
  }, 240_000);
});
