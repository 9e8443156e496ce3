#!/usr/bin/env node
// Measures how long after a commit two replicas on one PostgreSQL stop serving a cached user:
// starts dist/main.js twice (cache TTL 10 minutes, so only a notification can refresh a user),
// then updates one user N times with plain SQL and polls both replicas until each serves the
// new value. Needs `npm run build` and the tests' PostgreSQL (TEST_POSTGRES_URL).
//
//   npm run measure:invalidation            # 20 updates
//   npm run measure:invalidation -- 50
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';

const ROUNDS = Number(process.argv[2] ?? 20);
const SERVICE = resolve(import.meta.dirname, '../dist/main.js');
const ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JWT_SECRET = 'measure-invalidation-secret-at-least-32-bytes';

const b64url = (value) => Buffer.from(value).toString('base64url');
function token(sub) {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(
    JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + 3600 }),
  )}`;
  return `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
}

function startReplica(url) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SERVICE], {
      env: {
        PATH: process.env.PATH,
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'measure-secret',
        JWT_SECRET,
        DIRECTORY_URL: url,
        DIRECTORY_CACHE_TTL_MS: '600000',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on 127\.0\.0\.1:(\d+)/);
      if (match) resolvePromise({ child, port: Number(match[1]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`replica exited with ${code}:\n${output}`)));
  });
}

async function nameOn(port) {
  const response = await fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token('alice')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'socket_id=1.2',
  });
  const { user_data: userData } = await response.json();
  return JSON.parse(userData).user_info.name;
}

async function waitForName(port, name, since) {
  for (;;) {
    if ((await nameOn(port)) === name) return performance.now() - since;
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const name = `pusher_auth_measure_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const replicas = [];
const db = new pg.Client({ connectionString: url.toString() });
try {
  replicas.push(await startReplica(url.toString()), await startReplica(url.toString()));
  await db.connect();
  await db.query(`INSERT INTO directory_users (id, user_info) VALUES ('alice', '{"name":"v0"}')`);
  await new Promise((r) => setTimeout(r, 200));
  for (const { port } of replicas) await waitForName(port, 'v0', performance.now());
  const delays = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await db.query(`UPDATE directory_users SET user_info = $1 WHERE id = 'alice'`, [
      JSON.stringify({ name: `v${round}` }),
    ]);
    const committed = performance.now();
    const seen = await Promise.all(replicas.map(({ port }) => waitForName(port, `v${round}`, committed)));
    delays.push(...seen);
  }
  delays.sort((a, b) => a - b);
  console.log(
    `${ROUNDS} updates x 2 replicas: invalidation delay after COMMIT returned (includes one HTTP sign-in):`,
  );
  console.log(
    `  min ${delays[0].toFixed(1)} ms, median ${percentile(delays, 50).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${delays[delays.length - 1].toFixed(1)} ms`,
  );
} finally {
  for (const { child } of replicas) child.kill('SIGTERM');
  await db.end().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
