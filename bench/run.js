'use strict';
// npm run bench [-- --quick]: the service and the baseline, each pinned to core 0, loaded by
// autocannon pinned to core 1, one after the other in one run. Prints req/s, p50, p99, errors,
// peak RSS and the ratio to the baseline. Exits non-zero on errors, never on slowness.
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { generateKeyPairSync, randomBytes, sign } = require('node:crypto');
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const SERVICE = join(ROOT, 'dist/main.js');
const QUICK = process.argv.includes('--quick');
// --profile: only the service on SQLite, under node --cpu-prof; the profile goes to results/.
const PROFILE = process.argv.includes('--profile');
const PROFILE_DIR = join(__dirname, 'results', 'profiles');
const WARMUP_S = QUICK ? 1 : 5;
const MEASURE_S = QUICK ? 3 : 15;
const CONNECTIONS = 50;
const USERS = 1000;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PUSHER = { PUSHER_APP_ID: '1', PUSHER_KEY: 'bench-key', PUSHER_SECRET: 'bench-secret-0123456789' };
const SERVER_CORE = '0';
const LOAD_CORE = cpus().length > 1 ? '1' : '0';

const work = mkdtempSync(join(tmpdir(), 'pusher-auth-bench-'));
const b64url = (value) => Buffer.from(value).toString('base64url');

function rs256(privateKey, payload) {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const userIds = Array.from({ length: USERS }, (_, i) => `user-${i}`);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const exp = Math.floor(Date.now() / 1000) + 3600;
const tokensFile = join(work, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify(userIds.map((sub) => rs256(privateKey, { sub, exp }))));

const serviceEnv = (directoryUrl, extra = {}) => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  PORT: '0',
  HOST: '127.0.0.1',
  ...PUSHER,
  PUSHER_SECRET: 'bench-secret-not-a-default-0123',
  JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }),
  JWT_ALGORITHMS: 'RS256',
  DIRECTORY_URL: directoryUrl,
  // The benchmark measures the signing path, so the rate limits are off.
  RATE_LIMIT_PER_IP: '0',
  RATE_LIMIT_PER_USER: '0',
  ...extra,
});

async function seed(directoryUrl) {
  const { openDirectoryConnection } = require(join(ROOT, 'dist/directory/backends/directory-connection.js'));
  const { openDirectoryAdmin, openUserDirectory } = require(join(ROOT, 'dist/directory/backends/open-directory-backend.js'));
  const connection = openDirectoryConnection(directoryUrl);
  const directory = openUserDirectory(connection);
  await directory.migrate();
  await openDirectoryAdmin(connection).upsertUsers(
    userIds.map((id) => ({ id, userInfo: { name: `User ${id}` }, watchlist: ['user-1', 'user-2'] })),
  );
  await directory.close();
}

/** A port the kernel says is free now; the server is started on it. */
function freePort() {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePromise(port));
    });
  });
}

/** Spawns a server on core SERVER_CORE; readiness is its first signed answer (see firstSigned). */
async function startServer(args, env) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...args], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors = (errors + chunk).slice(-10_000);
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`server exited with ${code}:\n${errors}`);
  });
  return { child, port, started };
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise((resolvePromise) => {
    child.once('exit', resolvePromise);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
  return kb / 1024;
}

function runLoad(url, seconds) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      'taskset',
      ['-c', LOAD_CORE, process.execPath, join(__dirname, 'load.js'), url, String(seconds), String(CONNECTIONS), tokensFile],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(output)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

async function firstSigned(port, token, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'socket_id=1.2',
      });
      if (response.status === 200) return;
      throw new Error(`first request answered ${response.status}: ${await response.text()}`);
    } catch (error) {
      if (!/fetch failed|ECONNREFUSED/.test(String(error.cause ?? error.message))) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}


async function measure(name, args, env) {
  process.stderr.write(`measuring ${name}\n`);
  const server = await startServer(args, env);
  try {
    const url = `http://127.0.0.1:${server.port}/pusher/user-auth`;
    const token = JSON.parse(readFileSync(tokensFile, 'utf8'))[0];
    await firstSigned(server.port, token, server.child);
    await runLoad(url, WARMUP_S);
    const result = await runLoad(url, MEASURE_S);
    return { name, ...result, peakRssMb: peakRssMb(server.child.pid) };
  } finally {
    await stopServer(server.child);
  }
}

async function coldStart(directoryUrl) {
  const times = [];
  const token = JSON.parse(readFileSync(tokensFile, 'utf8'))[0];
  for (let run = 0; run < (QUICK ? 1 : 3); run++) {
    const server = await startServer([SERVICE], serviceEnv(directoryUrl));
    try {
      await firstSigned(server.port, token, server.child);
      times.push(Number(process.hrtime.bigint() - server.started) / 1e6);
    } finally {
      await stopServer(server.child);
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function withPostgresDatabase(run) {
  const { Client } = require(join(ROOT, 'node_modules/pg'));
  const name = `pusher_auth_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const fmt = (value, digits = 0) => value.toFixed(digits);

async function main() {
  if (!existsSync(SERVICE)) throw new Error(`${SERVICE} is missing: run "npm run build" first`);
  const sqliteUrl = `sqlite://${join(work, 'directory.db')}`;
  process.stderr.write(`seeding ${USERS} users\n`);
  await seed(sqliteUrl);

  if (PROFILE) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    const row = await measure('service: RS256 + SQLite, cache warm, profiled', ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, SERVICE], serviceEnv(sqliteUrl));
    console.log(`${fmt(row.requestsPerSecond)} req/s under the profiler; profile written to ${PROFILE_DIR}`);
    console.log(`summarise it with: node bench/profile-summary.js ${PROFILE_DIR}/<file>.cpuprofile`);
    return;
  }

  const rows = [];
  rows.push(await measure('baseline: Express example, no identity check', [join(__dirname, 'baseline-server.js')], {
    PATH: process.env.PATH,
    PORT: '0',
    ...PUSHER,
  }));
  rows.push(await measure('service: RS256 + SQLite, cache warm', [SERVICE], serviceEnv(sqliteUrl)));
  // What the per-request log line costs: the same, logging warnings only.
  rows.push(await measure('service: RS256 + SQLite, cache warm, LOG_LEVEL=warn', [SERVICE], serviceEnv(sqliteUrl, { LOG_LEVEL: 'warn' })));
  const postgresRows = await withPostgresDatabase(async (url) => {
    await seed(url);
    return [
      await measure('service: RS256 + PostgreSQL, cache warm', [SERVICE], serviceEnv(url)),
      await measure('service: RS256 + PostgreSQL, cache off', [SERVICE], serviceEnv(url, { DIRECTORY_CACHE_TTL_MS: '0' })),
    ];
  });
  rows.push(...postgresRows);
  const coldStartMs = await coldStart(sqliteUrl);

  const baseline = rows[0].requestsPerSecond;
  console.log(`\npusher-auth benchmark${QUICK ? ' (--quick: short runs, a smoke test)' : ''}: ${CONNECTIONS} connections, ` +
    `${WARMUP_S} s warm-up, ${MEASURE_S} s measured, servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}, ${USERS} users\n`);
  console.log('| scenario | req/s | p50 ms | p99 ms | errors | peak RSS MB | vs baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(`| ${row.name} | ${fmt(row.requestsPerSecond)} | ${fmt(row.p50, 1)} | ${fmt(row.p99, 1)} | ${row.errors} | ${fmt(row.peakRssMb)} | ${fmt(row.requestsPerSecond / baseline, 2)}x |`);
  }
  console.log(`\ncold start to first signed response (embedded SQLite, median of ${QUICK ? 1 : 3}): ${fmt(coldStartMs)} ms`);

  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify({ quick: QUICK, rows, coldStartMs, at: new Date().toISOString() }, null, 2));
  const failed = rows.filter((row) => row.errors > 0 || row.total === 0);
  if (failed.length > 0) {
    console.error(`errors in: ${failed.map((row) => row.name).join('; ')}`);
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    console.error(`benchmark failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
