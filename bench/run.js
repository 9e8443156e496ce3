'use strict';
// npm run bench [-- --quick | --profile | --new-tokens]: on each runtime (the machine's Node 20 and
// the image's Node 24), the service and the servers it is compared with (bench/peers/), each
// pinned to core 0, loaded by autocannon pinned to core 1, one after the other in one run (see
// docs/performance.md, "How it is measured"). Prints the rows and ratios per runtime and the
// issue's floors, writes bench/results/latest.json and, in a full run, the results section of
// docs/performance.md and its chart docs/performance.svg. Exits non-zero on errors, never on
// slowness.
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { connect } = require('node:net');
const { cpus, loadavg, tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');
const { randomBytes } = require('node:crypto');
const { signingKey, tokenPool, rs256 } = require('./lib/tokens');
const { startServer, stopServer, signalNode, peakRssMb, cpuSeconds, firstSigned, signIn } = require('./lib/servers');
const { directoryUsers, loadFrom, seedSqlite, seedPostgres, withPostgresDatabase } = require('./lib/directory');
const { countingRelay } = require('./lib/pg-round-trips');
const { renderChart } = require('./lib/chart');
const { consoleReport, updateDocument } = require('./lib/report');
const { imageHasCompileCache, imageMallocEnv, imageNodeFlags } = require('./lib/deployment');
const { runLoad: runLoadOn } = require('./lib/load-runner');
const { runtime } = require('./lib/runtimes');

const ROOT = resolve(__dirname, '..');
// BENCH_DIST: another build of the service in place of dist/, to measure an experiment in the same harness.
const DIST = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : undefined;
// The runtimes compared: the machine's Node (20) and the image's (24, pinned in tools/node24).
const RUNTIMES = [20, 24];
/** The runtime the image runs: the variants, the burst and the round trips run on it. */
const IMAGE_RUNTIME = 24;
const PEERS = join(__dirname, 'peers');
const RESULTS = join(__dirname, 'results');
const DOC = join(ROOT, 'docs/performance.md');
const CHART = join(ROOT, 'docs/performance.svg');
const QUICK = process.argv.includes('--quick');
// --profile: only the main row, under node --cpu-prof; the profile goes to results/profiles/.
// --profile=postgres: the same on a PostgreSQL directory, cache warm (the pg-warm row).
const PROFILE_ARG = process.argv.find((arg) => arg === '--profile' || arg.startsWith('--profile='));
const PROFILE = PROFILE_ARG !== undefined;
const PROFILE_POSTGRES = PROFILE_ARG === '--profile=postgres';
// --new-tokens: a new signing key and new pools instead of the cached ones.
const NEW_TOKENS = process.argv.includes('--new-tokens');
// --logs: each server's log lines go to results/logs/<row>.log instead of /dev/null.
const LOGS = process.argv.includes('--logs') ? join(__dirname, 'results', 'logs') : undefined;
// --only=main-24,nest-24,burst: just these rows; for trying a change quickly. Keys, per runtime
// (-20, -24): example raw passport features nest main; on Node 24 only: reused warn pg-warm pg-off pg-redis
// round-trips burst. Ratios are printed for the rows measured (vs the best peer when one ran).
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
// --loop-delay: the main rows' service runs with bench/loop-delay.js preloaded, which samples the
// event loop's delay and GC pauses during the measured run (reported, never in the table).
const LOOP_DELAY = process.argv.includes('--loop-delay');
const wanted = (key) => ONLY === undefined || ONLY.includes(key);

// --quick is a smoke test of every row, so it uses few connections: on a busy CI machine,
// 50 or 200 would queue for PostgreSQL's pool past its 3 s wait and fail on slowness alone.
const SETTINGS = {
  connections: QUICK ? 10 : 50,
  warmupS: QUICK ? 1 : 5,
  measureS: QUICK ? 3 : 15,
  users: 1000,
  // Enough for warm-up and measured time at 12 500 req/s, 1.3 times the Express example's best on a quiet
  // machine here (9 700); a faster server ends its row early and the report says the pool ran out.
  pool: QUICK ? 8000 : 250_000,
  burstUsers: QUICK ? 1000 : 20_000,
  burstConnections: QUICK ? 20 : 200,
  roundTripLookups: QUICK ? 50 : 500,
  serverCore: '0',
  loadCore: cpus().length > 1 ? '1' : '0',
};
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUSHER = { PUSHER_APP_ID: '1', PUSHER_KEY: 'bench-key', PUSHER_SECRET: 'bench-secret-0123456789' };
// Budgets so large they never refuse (0 would leave the limiter out; 1 000 000 a minute per
// address and per user is the schema's maximum), so the limiter's cost is in every service row.
const NEVER_REFUSING_BUDGET = '1000000';

// The service rows run as the image does (bench/lib/deployment.js): the CMD's V8 flags
// (BENCH_NODE_FLAGS, space-separated, replaces them to measure a change of flags before making
// it), its compile cache (BENCH_COMPILE_CACHE=0 leaves it out, to compare) and its malloc setting.
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : imageNodeFlags(ROOT);
const COMPILE_CACHE = process.env.BENCH_COMPILE_CACHE !== '0' && imageHasCompileCache(ROOT);
const MALLOC_ENV = imageMallocEnv(ROOT);
const WARM_COMPILE_CACHE = join(ROOT, 'docker/warm-compile-cache.js');

const work = mkdtempSync(join(tmpdir(), 'pusher-auth-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const log = (text) => process.stderr.write(`${text}\n`);

function logFile(name) {
  if (!LOGS) return undefined;
  mkdirSync(LOGS, { recursive: true });
  return join(LOGS, `${name}.log`);
}

function serviceEnv(key, directoryUrl, extra = {}) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    ...PUSHER,
    PUSHER_SECRET: 'bench-secret-not-a-default-0123',
    JWT_PUBLIC_KEY: key.publicKeyPem,
    JWT_ALGORITHMS: 'RS256',
    DIRECTORY_URL: directoryUrl,
    RATE_LIMIT_PER_IP: NEVER_REFUSING_BUDGET,
    RATE_LIMIT_PER_USER: NEVER_REFUSING_BUDGET,
    // The load generator plays the ingress: each request names its client in X-Forwarded-For,
    // as TRUST_PROXY does in docker/k8s/configmap.yaml.
    TRUST_PROXY: '127.0.0.1',
    ...MALLOC_ENV,
    ...extra,
  };
}

/** Built caches by the command that runs node (with its flags): built once, copied per start. */
const compileCaches = new Map();

/**
 * The row's environment with NODE_COMPILE_CACHE at a fresh copy of a cache built as the image
 * builds its own: the warm-up runs the row's own command once, before the row. Node 20 has no
 * compile cache, so its rows run as before.
 */
function withCompileCache(command, env, node) {
  if (!COMPILE_CACHE || Number(node.split('.')[0]) < 22) return env;
  const nodeAt = command[0] === 'bash' ? command.indexOf('node') : 0;
  const key = command.slice(0, -1).join(' ');
  let built = compileCaches.get(key);
  if (!built) {
    built = join(work, `compile-cache-${compileCaches.size}`);
    log(`building the compile cache for ${key}`);
    execFileSync(command[0], [...command.slice(1, nodeAt + 1), WARM_COMPILE_CACHE, ...command], {
      // The application folder, as the image's WORKDIR (the warm-up runs its bin/ too).
      cwd: dirname(dirname(command[command.length - 1])),
      env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', NODE_ENV: 'production', NODE_COMPILE_CACHE: built },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 180_000,
    });
    compileCaches.set(key, built);
  }
  const copy = mkdtempSync(join(work, 'compile-cache-start-'));
  cpSync(built, copy, { recursive: true });
  return { ...env, NODE_COMPILE_CACHE: copy };
}

/** One autocannon run on the load core; see load.js for the options. */
const runLoad = (options) => runLoadOn(options, SETTINGS.loadCore);

/** CPU per answer, and the share of its core the server got while measured. */
function cpuUse(seconds, measured) {
  return { cpuUsPerRequest: (seconds * 1e6) / measured.total, coreShare: seconds / measured.elapsedS };
}

/**
 * One row: start the server, time its first signed answer, warm it up, measure, read its peak
 * RSS. In 'fresh' mode warm-up and measured run take consecutive slices of the pool, so no token
 * reaches this server twice; in 'cycle' mode both reuse the pool's first 1 000 tokens.
 */
async function measureRow(ctx, { key: rowKey, name, short, kind, node, command, env, service = false, mode = 'fresh', coldStarts = 1 }) {
  log(`measuring ${name}`);
  const url = (server) => `http://127.0.0.1:${server.port}/pusher/user-auth`;
  const load = { connections: SETTINGS.connections, tokensFile: ctx.pool.file, mode, cycle: SETTINGS.users };
  const sampled = LOOP_DELAY && kind === 'main';
  const startEnv = () => (service ? withCompileCache(command, env, node) : env);
  const loopDelayFile = join(work, `loop-delay-${rowKey}.json`);
  const server = sampled
    ? await startServer([...command.slice(0, -1), '-r', join(__dirname, 'loop-delay.js'), command[command.length - 1]], { ...startEnv(), BENCH_LOOP_DELAY_FILE: loopDelayFile }, SETTINGS.serverCore, logFile(rowKey))
    : await startServer(command, startEnv(), SETTINGS.serverCore, logFile(rowKey));
  let row;
  try {
    const coldStartMs = await firstSigned(server, ctx.ready);
    const warm = await runLoad({ ...load, url: url(server), duration: SETTINGS.warmupS, offset: 0 });
    const offset = mode === 'fresh' ? warm.used : 0;
    if (mode === 'fresh' && ctx.pool.count - offset < SETTINGS.connections) {
      throw new Error(`the token pool (${ctx.pool.count}) ran out during the warm-up of "${name}"`);
    }
    const cpuBefore = cpuSeconds(server);
    if (sampled) signalNode(server, 'SIGUSR2');
    const measured = await runLoad({ ...load, url: url(server), duration: SETTINGS.measureS, offset });
    row = {
      key: rowKey, name, short, kind, node, ...measured,
      ...cpuUse(cpuSeconds(server) - cpuBefore, measured),
      // Pool lines this server consumed (the reused-token row consumes none).
      used: mode === 'fresh' ? offset + measured.used : undefined,
      repeats: warm.repeats + measured.repeats,
      warmupErrors: warm.errors,
      peakRssMb: peakRssMb(server),
      coldStarts: [coldStartMs],
    };
  } finally {
    await stopServer(server);
  }
  if (sampled) row.loopDelay = JSON.parse(readFileSync(loopDelayFile, 'utf8'));
  for (let run = 1; run < coldStarts; run++) {
    const again = await startServer(command, startEnv(), SETTINGS.serverCore);
    try {
      row.coldStarts.push(await firstSigned(again, ctx.ready));
    } finally {
      await stopServer(again);
    }
  }
  row.coldStartMs = median(row.coldStarts);
  return row;
}

/** The burst: every user of a fresh PostgreSQL directory signs in once, on a server just started. */
async function measureBurst(ctx, rt) {
  const users = SETTINGS.burstUsers;
  log(`measuring the burst: ${users} users, ${SETTINGS.burstConnections} connections`);
  return withPostgresDatabase(POSTGRES_URL, async (url) => {
    const seeded = Date.now();
    await seedPostgres(url, directoryUsers('burst-user-', users, ['bench-ready']));
    log(`  seeded ${users} users in ${Date.now() - seeded} ms`);
    const command = [rt.node, ...NODE_FLAGS, join(rt.root, 'dist/main.js')];
    const server = await startServer(command, withCompileCache(command, serviceEnv(ctx.key, url), rt.version), SETTINGS.serverCore, logFile('burst'));
    try {
      const coldStartMs = await firstSigned(server, ctx.ready);
      const cpuBefore = cpuSeconds(server);
      const result = await runLoad({
        url: `http://127.0.0.1:${server.port}/pusher/user-auth`,
        connections: SETTINGS.burstConnections,
        tokensFile: ctx.burstPool.file,
        mode: 'fresh',
        offset: 0,
        amount: users,
      });
      const served = Object.entries(result.statusCodes).reduce((sum, [code, count]) => sum + (code.startsWith('2') ? count : 0), 0);
      return {
        key: 'burst', kind: 'burst', node: rt.version, users, connections: SETTINGS.burstConnections, served,
        name: `burst: ${users.toLocaleString('en-GB').replace(/,/g, ' ')} users once each, cold, PostgreSQL, ${SETTINGS.burstConnections} connections`,
        short: `burst: ${users / 1000}k users once, PG, ${SETTINGS.burstConnections} conn.`,
        ...result,
        ...cpuUse(cpuSeconds(server) - cpuBefore, result),
        peakRssMb: peakRssMb(server),
        coldStarts: [coldStartMs],
        coldStartMs,
      };
    } finally {
      await stopServer(server);
    }
  });
}

/** Round trips to PostgreSQL per sign-in with the cache off, counted by a relay in front of it. */
async function measureRoundTrips(ctx, url, rt) {
  log('counting PostgreSQL round trips per look-up (cache off)');
  const target = new URL(url);
  const relay = await countingRelay({ host: target.hostname, port: Number(target.port || 5432) });
  const viaRelay = new URL(url);
  viaRelay.hostname = '127.0.0.1';
  viaRelay.port = String(relay.port);
  const server = await startServer([rt.node, ...NODE_FLAGS, join(rt.root, 'dist/main.js')], serviceEnv(ctx.key, viaRelay.toString(), { DIRECTORY_CACHE_TTL_MS: '0' }), SETTINGS.serverCore);
  try {
    await firstSigned(server, ctx.ready);
    await sleep(500);
    const before = relay.count();
    const lines = readFileSync(ctx.pool.file, 'utf8').split('\n', SETTINGS.roundTripLookups);
    for (const line of lines) {
      const [address, token] = line.split(' ');
      const { status, body } = await signIn(server.port, { address, token });
      if (status !== 200) throw new Error(`round-trip count: a sign-in answered ${status}: ${body}`);
    }
    await sleep(300);
    const roundTrips = relay.count() - before;
    return { lookups: lines.length, roundTrips, perLookup: roundTrips / lines.length };
  } finally {
    await stopServer(server);
    await relay.close();
  }
}

/** Whether Redis answers PING within a second (the Redis row needs it; the store would fall back). */
function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const socket = connect(Number(port || 6379), hostname);
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

function podMemoryLimitMb() {
  const manifest = join(ROOT, 'docker/k8s/deployment.yaml');
  if (!existsSync(manifest)) return undefined;
  const match = /limits:\s*\n\s*memory:\s*(\d+)Mi/.exec(readFileSync(manifest, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Rows, ratios and floors are read per runtime: a ratio never compares two runtimes. */
function addRatios(rows) {
  for (const version of new Set(rows.map((row) => row.node))) {
    const same = rows.filter((row) => row.node === version);
    const peers = same.filter((row) => row.kind === 'peer');
    const best = peers.length > 0 ? peers.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a)) : undefined;
    const bestByCpu = peers.length > 0 ? peers.reduce((a, b) => (b.cpuUsPerRequest < a.cpuUsPerRequest ? b : a)) : undefined;
    const raw = same.find((row) => row.kind === 'raw');
    const sameWork = same.find((row) => row.kind === 'same-work');
    for (const row of same) {
      if (sameWork) {
        row.vsSameWork = row.requestsPerSecond / sameWork.requestsPerSecond;
        row.vsSameWorkByCpu = sameWork.cpuUsPerRequest / row.cpuUsPerRequest;
      }
      if (best) {
        row.vsPeer = row.requestsPerSecond / best.requestsPerSecond;
        row.vsPeerByCpu = bestByCpu.cpuUsPerRequest / row.cpuUsPerRequest;
        row.bestPeer = best.key;
      }
      if (raw) row.vsRaw = row.requestsPerSecond / raw.requestsPerSecond;
    }
  }
}

async function main() {
  const loadAverage = loadavg();
  const cacheDir = join(RESULTS, 'token-cache');
  const key = signingKey(cacheDir, NEW_TOKENS);
  const minting = Date.now();
  const pool = await tokenPool({ cacheDir, key, name: `pool-${SETTINGS.pool}`, count: SETTINGS.pool, users: SETTINGS.users, userPrefix: 'user-', net: 1 });
  const burstPool = await tokenPool({ cacheDir, key, name: `burst-${SETTINGS.burstUsers}`, count: SETTINGS.burstUsers, users: SETTINGS.burstUsers, userPrefix: 'burst-user-', net: 2 });
  log(`token pools: ${pool.count} + ${burstPool.count} tokens (${pool.minted || burstPool.minted ? `minted in ${Date.now() - minting} ms` : 'cached'})`);
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const ready = { token: rs256(key.privateKeyPem, { sub: 'bench-ready', exp, jti: randomBytes(8).toString('hex') }), address: '10.0.0.1' };
  const ctx = { key, pool, burstPool, ready };

  const notMeasured = [];
  const runtimes = new Map();
  for (const major of RUNTIMES) {
    const rt = runtime(major, work, { dist: DIST });
    if (rt.missing) notMeasured.push(`Node ${major} rows: not measured (${rt.missing})`);
    else if (!existsSync(join(rt.root, 'dist/main.js'))) throw new Error(`${rt.root}/dist/main.js is missing: run "npm run build" first`);
    else runtimes.set(major, rt);
  }
  const machine = [...runtimes.values()].find((rt) => rt.node === process.execPath);
  if (machine) loadFrom(machine.root);

  const users = directoryUsers('user-', SETTINGS.users, ['bench-ready']);
  const sqliteUrl = `sqlite://${join(work, 'directory.db')}`;
  await seedSqlite(sqliteUrl, users);
  // The peers hold the same users in a Map (bench/peers/directory-users.js).
  const usersFile = join(work, 'users.json');
  writeFileSync(usersFile, JSON.stringify(users));
  if (NODE_FLAGS.length > 0) log(`service rows run node ${NODE_FLAGS.join(' ')} (docker/Dockerfile's CMD or BENCH_NODE_FLAGS)`);
  const serviceOn = (rt, flags = []) => [rt.node, ...NODE_FLAGS, ...flags, join(rt.root, 'dist/main.js')];
  const sqlite = (extra) => serviceEnv(key, sqliteUrl, extra);

  if (PROFILE) {
    const rt = runtimes.get(IMAGE_RUNTIME) ?? runtimes.values().next().value;
    const dir = join(RESULTS, 'profiles');
    mkdirSync(dir, { recursive: true });
    const profiled = (env) => measureRow(ctx, { key: 'profile', name: 'main row, profiled', node: rt.version, command: serviceOn(rt, ['--cpu-prof', `--cpu-prof-dir=${dir}`]), env, service: true });
    const row = PROFILE_POSTGRES
      ? await withPostgresDatabase(POSTGRES_URL, async (url) => {
          await seedPostgres(url, users);
          return profiled(serviceEnv(key, url));
        })
      : await profiled(sqlite());
    console.log(`${row.requestsPerSecond.toFixed(0)} req/s on Node ${rt.version} under the profiler, peak RSS ${row.peakRssMb.toFixed(0)} MB; profile written to ${dir}`);
    console.log(`summarise it with: node bench/profile-summary.js ${dir}/<file>.cpuprofile`);
    return;
  }

  const rows = [];
  const add = async (spec) => {
    if (wanted(spec.key)) rows.push(await measureRow(ctx, spec));
  };
  const coldStarts = QUICK ? 1 : 3;
  const peerEnv = { PATH: process.env.PATH, ...PUSHER, JWT_PUBLIC_KEY: key.publicKeyPem, BENCH_USERS_FILE: usersFile };
  // The same budgets the service rows get: wired in, never refusing.
  const sameWorkEnv = { ...peerEnv, RATE_LIMIT_PER_IP: NEVER_REFUSING_BUDGET, RATE_LIMIT_PER_USER: NEVER_REFUSING_BUDGET };
  // The peers run as their authors would start them: `node file.js`, no flags.
  const peer = (rt, file) => [rt.node, join(PEERS, file)];
  for (const [major, rt] of runtimes) {
    const on = { node: rt.version };
    await add({ ...on, key: `example-${major}`, kind: 'example', name: 'Express example: Pusher\'s docs, no identity check', short: `Express example, Node ${major}`, command: peer(rt, 'express-example.js'), env: peerEnv });
    await add({ ...on, key: `raw-${major}`, kind: 'raw', name: 'raw limit: node:http, RS256, Map, HMAC', short: `raw limit, Node ${major}`, command: peer(rt, 'raw-limit.js'), env: peerEnv });
    await add({ ...on, key: `passport-${major}`, kind: 'peer', name: 'peer: Express + passport-jwt, users in a Map', short: `Express + passport-jwt, Node ${major}`, command: peer(rt, 'express-passport-jwt.js'), env: peerEnv });
    // Not a "best peer" candidate: the bare peers are the floors' reference; this one prices the same work.
    await add({ ...on, key: `features-${major}`, kind: 'same-work', name: 'peer: the same, with the service\'s per-request features (helmet, pino-http, prom-client, express-rate-limit)', short: `Express + passport-jwt + features, Node ${major}`, command: peer(rt, 'express-passport-jwt-features.js'), env: sameWorkEnv });
    await add({ ...on, key: `nest-${major}`, kind: 'peer', name: 'peer: NestJS as its docs teach (Express, AuthGuard(\'jwt\'), ValidationPipe)', short: `NestJS docs' design, Node ${major}`, command: peer(rt, 'nest-design-card.js'), env: peerEnv });
    await add({ ...on, key: `main-${major}`, kind: 'main', name: 'service as deployed: a new RS256 token per request, SQLite', short: `service, Node ${major}`, command: serviceOn(rt), env: sqlite(), service: true, coldStarts });
  }

  let roundTrips = null;
  let burst = null;
  const image = runtimes.get(IMAGE_RUNTIME);
  if (image) {
    const on = { node: image.version, kind: 'variant', command: serviceOn(image), service: true };
    await add({ ...on, key: 'reused', name: 'the same, 1 000 tokens reused round-robin', short: '1 000 tokens reused', env: sqlite(), mode: 'cycle' });
    await add({ ...on, key: 'warn', name: 'new tokens, SQLite, LOG_LEVEL=warn', short: 'LOG_LEVEL=warn', env: sqlite({ LOG_LEVEL: 'warn' }) });
    if (['pg-warm', 'pg-off', 'pg-redis', 'round-trips'].some(wanted)) {
      await withPostgresDatabase(POSTGRES_URL, async (url) => {
        await seedPostgres(url, users);
        const pg = (extra) => serviceEnv(key, url, extra);
        await add({ ...on, key: 'pg-warm', name: 'new tokens, PostgreSQL, cache warm', short: 'PostgreSQL, cache warm', env: pg() });
        await add({ ...on, key: 'pg-off', name: 'new tokens, PostgreSQL, cache off', short: 'PostgreSQL, cache off', env: pg({ DIRECTORY_CACHE_TTL_MS: '0' }) });
        if (!wanted('pg-redis')) {
          // Left out on request.
        } else if (await redisAnswers(REDIS_URL)) {
          const prefix = `pusher-auth-bench-${randomBytes(4).toString('hex')}:`;
          await add({ ...on, key: 'pg-redis', name: 'new tokens, PostgreSQL, cache warm, rate limits in Redis (the Kubernetes shape)', short: 'PostgreSQL + Redis limits', env: pg({ REDIS_URL, REDIS_KEY_PREFIX: prefix }) });
        } else {
          notMeasured.push(`PostgreSQL + Redis row: not measured (Redis not answering at ${REDIS_URL})`);
        }
        if (wanted('round-trips')) roundTrips = await measureRoundTrips(ctx, url, image);
      });
    }
    if (wanted('burst')) burst = await measureBurst(ctx, image);
  }

  const measured = burst ? [...rows, burst] : rows;
  addRatios(measured);
  const results = { at: new Date().toISOString(), quick: QUICK, only: ONLY, loadAverage, settings: SETTINGS, tokensMintedNow: pool.minted, rows, burst, roundTrips, notMeasured, podMemoryLimitMb: podMemoryLimitMb(), nodeFlags: NODE_FLAGS, compileCache: COMPILE_CACHE, imageRuntime: image?.version };

  console.log(consoleReport(results));
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2));
  const chart = renderChart({
    title: `pusher-auth and the servers it is compared with, ${results.at.slice(0, 10)}${QUICK ? ' (--quick)' : ''}`,
    subtitle:
      `npm run bench: ${SETTINGS.connections} connections (burst: ${SETTINGS.burstConnections}), server on one core, load on the other; ` +
      `shared 2-core VM, load average ${loadAverage[0].toFixed(1)} at the start: compare within one runtime of one run`,
    rows: measured,
  });
  // A smoke test or a partial run leaves the committed document alone.
  const partial = QUICK || ONLY !== undefined;
  writeFileSync(partial ? join(RESULTS, 'chart.svg') : CHART, chart);
  if (!partial) updateDocument(DOC, results, 'performance.svg');
  log(`results: ${join(RESULTS, 'latest.json')}${partial ? `, ${join(RESULTS, 'chart.svg')}` : `, ${DOC}, ${CHART}`}`);

  const failures = [];
  for (const row of measured) {
    if (row.errors > 0 || row.warmupErrors > 0) failures.push(`${row.name} (Node ${row.node}): ${row.errors + (row.warmupErrors ?? 0)} errors`);
    if (row.total === 0) failures.push(`${row.name} (Node ${row.node}): no answers`);
    if (row.repeats > 0) failures.push(`${row.name} (Node ${row.node}): ${row.repeats} tokens sent twice`);
  }
  if (burst && (burst.served !== burst.users || burst.used !== burst.users)) failures.push(`burst: ${burst.served} of ${burst.users} users served (${burst.used} tokens sent)`);
  if (failures.length > 0) {
    console.error(`failed:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    console.error(`benchmark failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
