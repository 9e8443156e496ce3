'use strict';
// npm run bench [-- --quick | --profile | --new-tokens]: the service and the baseline, each pinned to
// core 0, loaded by autocannon pinned to core 1, one after the other in one run (see
// docs/performance.md, "How it is measured"). Prints the table and the issue's floors, writes
// bench/results/latest.json and, in a full run, the results section of docs/performance.md and
// its chart docs/performance.svg. Exits non-zero on errors, never on slowness.
const { execFile, execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { connect } = require('node:net');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { randomBytes } = require('node:crypto');
const { signingKey, tokenPool, rs256 } = require('./lib/tokens');
const { startServer, stopServer, signalNode, peakRssMb, cpuSeconds, firstSigned, signIn } = require('./lib/servers');
const { directoryUsers, seedSqlite, seedPostgres, withPostgresDatabase } = require('./lib/directory');
const { countingRelay } = require('./lib/pg-round-trips');
const { renderChart } = require('./lib/chart');
const { consoleReport, updateDocument } = require('./lib/report');
const { imageHasCompileCache, imageMallocEnv, imageNodeFlags } = require('./lib/deployment');
const { runLoad: runLoadOn } = require('./lib/load-runner');

const ROOT = resolve(__dirname, '..');
// BENCH_SERVICE: another entry point in place of dist/main.js, to measure an experiment in the same harness.
const SERVICE = process.env.BENCH_SERVICE ? resolve(process.env.BENCH_SERVICE) : join(ROOT, 'dist/main.js');
const WITH_NODE = join(ROOT, 'scripts/with-node.sh');
const RESULTS = join(__dirname, 'results');
const DOC = join(ROOT, 'docs/performance.md');
const CHART = join(ROOT, 'docs/performance.svg');
const QUICK = process.argv.includes('--quick');
// --profile: only the main row, under node --cpu-prof; the profile goes to results/profiles/.
const PROFILE = process.argv.includes('--profile');
// --new-tokens: a new signing key and new pools instead of the cached ones.
const NEW_TOKENS = process.argv.includes('--new-tokens');
// --logs: each server's log lines go to results/logs/<row>.log instead of /dev/null.
const LOGS = process.argv.includes('--logs') ? join(__dirname, 'results', 'logs') : undefined;
// --only=main-20,burst: just these rows (and the baseline, which every ratio needs); for trying a
// change quickly. Keys: main-20 main-24 reused warn pg-warm pg-off pg-redis round-trips burst.
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
// --loop-delay: the main rows' service runs with bench/loop-delay.js preloaded, which samples the
// event loop's delay and GC pauses during the measured run (reported, never in the table).
const LOOP_DELAY = process.argv.includes('--loop-delay');
const wanted = (key) => ONLY === undefined || ONLY.includes(key);

// --quick is a smoke test of every code path, so it uses few connections: on a busy CI machine,
// 50 or 200 would queue for PostgreSQL's pool past its 3 s wait and fail on slowness alone.
const SETTINGS = {
  connections: QUICK ? 10 : 50,
  warmupS: QUICK ? 1 : 5,
  measureS: QUICK ? 3 : 15,
  users: 1000,
  // Enough for warm-up and measured time at 12 500 req/s, 1.3 times the baseline's best on a quiet
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
      cwd: ROOT,
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
async function measureRow(ctx, { key: rowKey, name, short, kind, node, command, env, mode = 'fresh', coldStarts = 1 }) {
  log(`measuring ${name}`);
  const url = (server) => `http://127.0.0.1:${server.port}/pusher/user-auth`;
  const load = { connections: SETTINGS.connections, tokensFile: ctx.pool.file, mode, cycle: SETTINGS.users };
  const sampled = LOOP_DELAY && kind === 'main';
  const startEnv = () => (kind === 'baseline' ? env : withCompileCache(command, env, node));
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
async function measureBurst(ctx) {
  const users = SETTINGS.burstUsers;
  log(`measuring the burst: ${users} users, ${SETTINGS.burstConnections} connections`);
  return withPostgresDatabase(POSTGRES_URL, async (url) => {
    const seeded = Date.now();
    await seedPostgres(url, directoryUsers('burst-user-', users, ['bench-ready']));
    log(`  seeded ${users} users in ${Date.now() - seeded} ms`);
    const server = await startServer([process.execPath, ...NODE_FLAGS, SERVICE], serviceEnv(ctx.key, url), SETTINGS.serverCore, logFile('burst'));
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
        key: 'burst', kind: 'burst', node: process.versions.node, users, connections: SETTINGS.burstConnections, served,
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
async function measureRoundTrips(ctx, url) {
  log('counting PostgreSQL round trips per look-up (cache off)');
  const target = new URL(url);
  const relay = await countingRelay({ host: target.hostname, port: Number(target.port || 5432) });
  const viaRelay = new URL(url);
  viaRelay.hostname = '127.0.0.1';
  viaRelay.port = String(relay.port);
  const server = await startServer([process.execPath, ...NODE_FLAGS, SERVICE], serviceEnv(ctx.key, viaRelay.toString(), { DIRECTORY_CACHE_TTL_MS: '0' }), SETTINGS.serverCore);
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

/** The Node 24 command, prepared once (the wrapper may rebuild better-sqlite3 on its first call). */
function prepareNode24() {
  if (!existsSync(WITH_NODE)) return { missing: 'Node 24 row: not measured (scripts/with-node.sh missing)' };
  log('preparing Node 24 through scripts/with-node.sh');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root' };
  // The first call may install Node from the registry: it needs the caller's whole environment
  // (a proxy's CA in NODE_EXTRA_CA_CERTS, npm_config_*), which the measured rows leave out.
  return new Promise((resolvePromise) => {
    execFile('bash', [WITH_NODE, '24', 'node', '-p', 'process.versions.node'], { env: process.env, cwd: ROOT, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) {
        resolvePromise({ missing: `Node 24 row: not measured (scripts/with-node.sh 24 failed: ${String(stderr || error.message).trim().split('\n').pop()})` });
        return;
      }
      resolvePromise({ version: stdout.trim().split('\n').pop(), command: ['bash', WITH_NODE, '24', 'node', ...NODE_FLAGS, SERVICE], env });
    });
  });
}

function podMemoryLimitMb() {
  const manifest = join(ROOT, 'docker/k8s/deployment.yaml');
  if (!existsSync(manifest)) return undefined;
  const match = /limits:\s*\n\s*memory:\s*(\d+)Mi/.exec(readFileSync(manifest, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

async function main() {
  if (!existsSync(SERVICE)) throw new Error(`${SERVICE} is missing: run "npm run build" first`);
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

  const sqliteUrl = `sqlite://${join(work, 'directory.db')}`;
  await seedSqlite(sqliteUrl, directoryUsers('user-', SETTINGS.users, ['bench-ready']));
  const node20 = process.versions.node;
  const service = [process.execPath, ...NODE_FLAGS, SERVICE];
  if (NODE_FLAGS.length > 0) log(`service rows run node ${NODE_FLAGS.join(' ')} (docker/Dockerfile's CMD or BENCH_NODE_FLAGS)`);

  if (PROFILE) {
    const dir = join(RESULTS, 'profiles');
    mkdirSync(dir, { recursive: true });
    const row = await measureRow(ctx, { key: 'profile', name: 'main row, profiled', node: node20, command: [process.execPath, ...NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dir}`, SERVICE], env: serviceEnv(key, sqliteUrl) });
    console.log(`${row.requestsPerSecond.toFixed(0)} req/s under the profiler, peak RSS ${row.peakRssMb.toFixed(0)} MB; profile written to ${dir}`);
    console.log(`summarise it with: node bench/profile-summary.js ${dir}/<file>.cpuprofile`);
    return;
  }

  const notMeasured = [];
  const rows = [];
  const add = async (spec) => {
    if (wanted(spec.key) || spec.kind === 'baseline') rows.push(await measureRow(ctx, spec));
  };
  const sqlite = (extra) => serviceEnv(key, sqliteUrl, extra);
  const baseline = { kind: 'baseline', node: node20, command: [process.execPath, join(__dirname, 'baseline-server.js')], env: { PATH: process.env.PATH, ...PUSHER } };
  const mainName = 'service as deployed: a new RS256 token per request, SQLite';
  const mainShort = (version) => `as deployed, new tokens, SQLite, Node ${version.split('.')[0]}`;
  const coldStarts = QUICK ? 1 : 3;

  await add({ ...baseline, key: 'baseline', name: 'baseline: Express example, no identity check', short: 'baseline: Express example' });
  await add({ key: 'main-20', name: mainName, short: mainShort(node20), kind: 'main', node: node20, command: service, env: sqlite(), coldStarts });
  if (wanted('main-24')) {
    const node24 = await prepareNode24();
    if (node24.missing) {
      console.log(node24.missing);
      notMeasured.push(node24.missing);
    } else {
      await add({ key: 'main-24', name: mainName, short: mainShort(node24.version), kind: 'main', node: node24.version, command: node24.command, env: { ...sqlite(), ...node24.env }, coldStarts });
    }
  }
  await add({ key: 'reused', name: 'the same, 1 000 tokens reused round-robin', short: '1 000 tokens reused, SQLite', kind: 'variant', node: node20, command: service, env: sqlite(), mode: 'cycle' });
  await add({ key: 'warn', name: 'new tokens, SQLite, LOG_LEVEL=warn', short: 'new tokens, SQLite, LOG_LEVEL=warn', kind: 'variant', node: node20, command: service, env: sqlite({ LOG_LEVEL: 'warn' }) });
  let roundTrips = null;
  if (['pg-warm', 'pg-off', 'pg-redis', 'round-trips'].some(wanted)) {
    await withPostgresDatabase(POSTGRES_URL, async (url) => {
      await seedPostgres(url, directoryUsers('user-', SETTINGS.users, ['bench-ready']));
      const pg = (extra) => serviceEnv(key, url, extra);
      await add({ key: 'pg-warm', name: 'new tokens, PostgreSQL, cache warm', short: 'new tokens, PostgreSQL, cache warm', kind: 'variant', node: node20, command: service, env: pg() });
      await add({ key: 'pg-off', name: 'new tokens, PostgreSQL, cache off', short: 'new tokens, PostgreSQL, cache off', kind: 'variant', node: node20, command: service, env: pg({ DIRECTORY_CACHE_TTL_MS: '0' }) });
      if (!wanted('pg-redis')) {
        // Left out on request.
      } else if (await redisAnswers(REDIS_URL)) {
        const prefix = `pusher-auth-bench-${randomBytes(4).toString('hex')}:`;
        await add({ key: 'pg-redis', name: 'new tokens, PostgreSQL, cache warm, rate limits in Redis (the Kubernetes shape)', short: 'new tokens, PostgreSQL + Redis limits', kind: 'variant', node: node20, command: service, env: pg({ REDIS_URL, REDIS_KEY_PREFIX: prefix }) });
      } else {
        notMeasured.push(`PostgreSQL + Redis row: not measured (Redis not answering at ${REDIS_URL})`);
      }
      if (wanted('round-trips')) roundTrips = await measureRoundTrips(ctx, url);
    });
  }
  const burst = wanted('burst') ? await measureBurst(ctx) : null;
  if (!QUICK) await add({ ...baseline, key: 'baseline-end', name: 'baseline again, at the end (drift check)', short: 'baseline again, at the end' });

  const baselines = rows.filter((row) => row.kind === 'baseline');
  const reference = {
    runs: baselines.map((row) => row.requestsPerSecond),
    requestsPerSecond: baselines.reduce((sum, row) => sum + row.requestsPerSecond, 0) / baselines.length,
    p99: baselines.reduce((sum, row) => sum + row.p99, 0) / baselines.length,
  };
  const measured = burst ? [...rows, burst] : rows;
  reference.cpuUsPerRequest = baselines.reduce((sum, row) => sum + row.cpuUsPerRequest, 0) / baselines.length;
  for (const row of measured) {
    row.ratio = row.requestsPerSecond / reference.requestsPerSecond;
    row.cpuRatio = reference.cpuUsPerRequest / row.cpuUsPerRequest;
  }
  const results = { at: new Date().toISOString(), quick: QUICK, only: ONLY, loadAverage, settings: SETTINGS, tokensMintedNow: pool.minted, rows, burst, roundTrips, baseline: reference, notMeasured, podMemoryLimitMb: podMemoryLimitMb(), nodeFlags: NODE_FLAGS, compileCache: COMPILE_CACHE };

  console.log(consoleReport(results));
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2));
  const chart = renderChart({
    title: `pusher-auth vs the Express example, ${results.at.slice(0, 10)}${QUICK ? ' (--quick)' : ''}`,
    subtitle:
      `npm run bench: ${SETTINGS.connections} connections (burst: ${SETTINGS.burstConnections}), server on one core, load on the other; ` +
      `shared 2-core VM, load average ${loadAverage[0].toFixed(1)} at the start: compare within one run`,
    rows: measured,
    baseline: reference,
  });
  // A smoke test or a partial run leaves the committed document alone.
  const partial = QUICK || ONLY !== undefined;
  writeFileSync(partial ? join(RESULTS, 'chart.svg') : CHART, chart);
  if (!partial) updateDocument(DOC, results, 'performance.svg');
  log(`results: ${join(RESULTS, 'latest.json')}${partial ? `, ${join(RESULTS, 'chart.svg')}` : `, ${DOC}, ${CHART}`}`);

  const failures = [];
  for (const row of measured) {
    if (row.errors > 0 || row.warmupErrors > 0) failures.push(`${row.name}: ${row.errors + (row.warmupErrors ?? 0)} errors`);
    if (row.total === 0) failures.push(`${row.name}: no answers`);
    if (row.repeats > 0) failures.push(`${row.name}: ${row.repeats} tokens sent twice`);
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
