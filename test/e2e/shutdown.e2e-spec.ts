import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { claimsFor, signJwt } from '../helpers/jwt';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startService, stopService } from '../helpers/service-process';
import { BASE_ENV, TEST_JWT_SECRET, TEST_PUSHER } from '../helpers/test-app';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  port: number,
  path: string,
  options: {
    agent?: Agent | false;
    method?: string;
    body?: string;
    token?: string;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: {
          ...(options.body
            ? { 'content-type': 'application/x-www-form-urlencoded' }
            : {}),
          ...(options.token
            ? { authorization: `Bearer ${options.token}` }
            : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function until(
  check: () => Promise<boolean>,
  what: string,
): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}

const USERS = ['u1', 'u2', 'u3', 'u4'];

/**
 * The compiled service as an orchestrator runs it. Requests are made slow by a real slow
 * dependency: the test holds an exclusive lock on the users table, so the service's reads wait
 * inside PostgreSQL until the test commits.
 */
describe('graceful shutdown on SIGTERM', () => {
  let database: TestDatabase;
  let admin: Client;
  let observer: Client;
  let workDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new Client({ connectionString: database.url });
    await admin.connect();
    observer = new Client({ connectionString: database.url });
    await observer.connect();
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-shutdown-'));
  });
  afterAll(async () => {
    await admin?.end();
    await observer?.end();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function startWith(env: Record<string, string>) {
    const service = await startService(
      {
        ...BASE_ENV,
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        DIRECTORY_URL: database.url,
        DIRECTORY_CACHE_TTL_MS: '0',
        ...env,
      },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    const exited = new Promise<number | null>((resolve) =>
      service.child.once('exit', (code) => resolve(code)),
    );
    return { ...service, port: Number(service.match[1]), exited };
  }

  async function lockUsersAndSend(port: number, agent: Agent) {
    await admin.query(
      `INSERT INTO directory_users (id, user_info) SELECT unnest($1::text[]), NULL
       ON CONFLICT (id) DO NOTHING`,
      [USERS],
    );
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE directory_users IN ACCESS EXCLUSIVE MODE');
    // One at a time, each sent once the one before waits inside PostgreSQL: reads that arrive in
    // the same event-loop turn are coalesced into one query, and this test wants one per request.
    const inFlight: Promise<Answer>[] = [];
    for (const [index, id] of USERS.entries()) {
      inFlight.push(
        send(port, '/pusher/user-auth', {
          agent,
          method: 'POST',
          body: `socket_id=${index + 1}.1`,
          token: signJwt('HS256', TEST_JWT_SECRET, claimsFor(id)),
        }),
      );
      // Asked from another session: inside the locking transaction, pg_stat_activity is a snapshot.
      await until(
        async () => {
          const { rows } = await observer.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'pusher-auth'
             AND wait_event_type = 'Lock'`,
          );
          return rows[0].waiting >= index + 1;
        },
        `request ${index + 1} waits for the lock`,
      );
    }
    return inFlight;
  }

  it('turns readiness 503, stops accepting, answers every in-flight request, and exits 0', async () => {
    const service = await startWith({
      SHUTDOWN_DELAY_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    // Keep-alive, as a load balancer or pusher-js's browser connects.
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await send(service.port, '/health/ready')).status).toBe(200);
      const inFlight = await lockUsersAndSend(service.port, agent);

      service.child.kill('SIGTERM');
      await until(
        async () => (await send(service.port, '/health/ready')).status === 503,
        'readiness answers 503',
      );
      expect((await send(service.port, '/health/live')).status).toBe(200);
      await until(
        () => refusesConnections(service.port),
        'the listener is closed',
      );

      await admin.query('COMMIT');
      const answers = await Promise.all(inFlight);
      answers.forEach((answer, index) => {
        expect(answer.status).toBe(200);
        const { auth, user_data: userData } = JSON.parse(answer.body);
        expect(JSON.parse(userData)).toEqual({ id: USERS[index] });
        expect(auth).toBe(
          expectedUserAuth(
            TEST_PUSHER.key,
            TEST_PUSHER.secret,
            `${index + 1}.1`,
            userData,
          ),
        );
        // The client is asked to reconnect (elsewhere) rather than keep this connection.
        expect(answer.headers.connection).toBe('close');
      });
      expect(await service.exited).toBe(0);
      expect(service.output()).toMatch(/SIGTERM: readiness is now 503/);
      expect(service.output()).toMatch(/drained and closed/);
    } finally {
      await admin.query('ROLLBACK').catch(() => undefined);
      agent.destroy();
      await stopService(service.child);
    }
  });

  it('exits 1 once SHUTDOWN_TIMEOUT_MS has passed with requests still in flight', async () => {
    const service = await startWith({
      SHUTDOWN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '300',
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = await lockUsersAndSend(service.port, agent);
      const settled = Promise.allSettled(inFlight);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(1);
      expect(service.output()).toMatch(/did not finish within 300 ms/);
      await settled;
    } finally {
      await admin.query('ROLLBACK').catch(() => undefined);
      agent.destroy();
      await stopService(service.child);
    }
  });
});
