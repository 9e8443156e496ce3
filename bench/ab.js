'use strict';
// One server, one configuration, CPU per answer: for trying a change (a V8 flag, a setting, another
// entry point) against the tree as it is, alternating runs of each side on the same machine. The
// main row's set-up without its baseline and report: the service as deployed on a fresh SQLite
// directory of 1 000 users, pinned to core 0, 50 connections from core 1, every request a token of
// the cached pool (run `npm run bench` once to mint it), 3 s warm-up, then measured.
//
//   node bench/ab.js [seconds] [NAME=value ...]
//     FLAGS="--max-old-space-size=160 ..."   node flags (default: docker/Dockerfile's CMD flags; its
//                                            MALLOC_ARENA_MAX is set too, as in the bench)
//     NODE=24                                  the Node major (default: the machine's; others are
//                                            the release pinned in tools/node<major>, bench/lib/runtimes.js)
//     DIST=path/to/dist                        another build of the service (default: the tree's dist/)
//     SERVICE=path/main.js                     another entry point, e.g. bench/peers/raw-limit.js
//     CONNECTIONS=10                           instead of 50
//     LOG_FILE=/tmp/service.log                keep the server's standard output (e.g. --trace-gc)
//     any other NAME=value                     added to the service's environment
//     B.NAME=value                             paired mode: a second server, side A's settings with
//                                            these changed, both started; the load alternates
//                                            between them in slices (SLICE=2 seconds), so a busy
//                                            machine weighs on both alike; reports B over A
//
// Prints one JSON line: CPU µs per answer, p99 ms (paired: median of slices), errors, peak RSS
// MB, cold start ms; paired: both sides, B's CPU over A's, and the spread of the slice ratios.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { imageMallocEnv, imageNodeFlags } = require('./lib/deployment');
const { directoryUsers, loadFrom, seedSqlite } = require('./lib/directory');
const { runLoad } = require('./lib/load-runner');
const { cpuSeconds, firstSigned, peakRssMb, startServer, stopServer } = require('./lib/servers');
const { rs256 } = require('./lib/tokens');
const { runtime } = require('./lib/runtimes');

const ROOT = resolve(__dirname, '..');
const CACHE = join(__dirname, 'results/token-cache');

const [secondsArg, ...pairs] = process.argv.slice(2);
const seconds = Number(secondsArg) || 8;
const all = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
/** Side A: the settings without a `B.` prefix; side B (paired mode): A's, overridden by `B.NAME=`. */
const sideA = Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('B.')));
const overridesB = Object.fromEntries(Object.entries(all).filter(([name]) => name.startsWith('B.')).map(([name, value]) => [name.slice(2), value]));
const paired = Object.keys(overridesB).length > 0;
// Paired mode alternates the load between the two servers in slices of this many seconds.
const SLICE_S = Number(all.SLICE ?? 2);
const OWN = ['FLAGS', 'NODE', 'DIST', 'SERVICE', 'CONNECTIONS', 'LOG_FILE', 'SLICE'];

/** Starts one side's server: its runtime, flags, entry point and environment. */
async function startSide(settings, work, key, directoryUrl) {
  const major = Number(settings.NODE ?? process.versions.node.split('.')[0]);
  const node = runtime(major, work, { dist: settings.DIST && resolve(settings.DIST) });
  if (node.missing) throw new Error(node.missing);
  const flags = settings.FLAGS !== undefined ? settings.FLAGS.split(' ').filter(Boolean) : imageNodeFlags(ROOT);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUSHER_APP_ID: '1',
    PUSHER_KEY: 'bench-key',
    PUSHER_SECRET: 'bench-secret-not-a-default-0123',
    JWT_PUBLIC_KEY: key.publicKeyPem,
    JWT_ALGORITHMS: 'RS256',
    DIRECTORY_URL: directoryUrl,
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_USER: '1000000',
    TRUST_PROXY: '127.0.0.1',
    BENCH_USERS_FILE: join(work, 'users.json'),
    ...imageMallocEnv(ROOT),
    ...Object.fromEntries(Object.entries(settings).filter(([name]) => !OWN.includes(name))),
  };
  const service = resolve(settings.SERVICE ?? join(node.root, 'dist/main.js'));
  return startServer([node.node, ...flags, service], env, '0', settings.LOG_FILE);
}

async function main() {
  // The largest pool: --quick runs keep a small one beside it.
  const poolFile = readdirSync(CACHE)
    .filter((name) => /^pool-\d+\.txt$/.test(name))
    .sort((a, b) => Number(b.match(/\d+/)[0]) - Number(a.match(/\d+/)[0]))[0];
  if (!poolFile) throw new Error(`no token pool in ${CACHE}: run "npm run bench" once first`);
  const key = JSON.parse(readFileSync(join(CACHE, 'signing-key.json'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'pusher-auth-ab-'));
  const directoryUrl = `sqlite://${join(work, 'directory.db')}`;
  const users = directoryUsers('user-', 1000, ['bench-ready']);
  // Seeded with the service's code and driver for this Node (bench/lib/runtimes.js).
  loadFrom(runtime(Number(process.versions.node.split('.')[0]), work).root);
  await seedSqlite(directoryUrl, users);
  // The peers (bench/peers/) read the same users from this file.
  writeFileSync(join(work, 'users.json'), JSON.stringify(users));
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const ready = { token: rs256(key.privateKeyPem, { sub: 'bench-ready', exp, jti: randomBytes(8).toString('hex') }), address: '10.0.0.1' };
  const sides = paired ? [sideA, { ...sideA, ...overridesB }] : [sideA];
  const servers = [];
  try {
    for (const settings of sides) {
      const server = await startSide(settings, work, key, directoryUrl);
      servers.push({ server, settings, coldStartMs: await firstSigned(server, ready), cpu: 0, answers: 0, p99: [], errors: 0, offset: 0, slices: [] });
    }
    const load = (side) => ({ url: `http://127.0.0.1:${side.server.port}/pusher/user-auth`, connections: Number(side.settings.CONNECTIONS ?? 50), tokensFile: join(CACHE, poolFile), mode: 'fresh', cycle: 1000 });
    for (const side of servers) side.offset = (await runLoad({ ...load(side), duration: 3, offset: 0 }, '1')).used;
    // One run each, or (paired) slices alternating between the two, so that whatever else the
    // machine runs weighs on both sides alike.
    const slices = paired ? Math.max(2, Math.round(seconds / SLICE_S)) : 1;
    for (let slice = 0; slice < slices; slice++) {
      const order = slice % 2 === 0 ? servers : [...servers].reverse();
      for (const side of order) {
        const before = cpuSeconds(side.server);
        const measured = await runLoad({ ...load(side), duration: paired ? SLICE_S : seconds, offset: side.offset }, '1');
        const cpu = cpuSeconds(side.server) - before;
        side.offset += measured.used;
        side.cpu += cpu;
        side.answers += measured.total;
        side.errors += measured.errors;
        side.p99.push(measured.p99);
        side.slices.push((cpu * 1e6) / measured.total);
      }
    }
    const report = (side) => ({
      settings: side.settings,
      cpuUsPerAnswer: Math.round((side.cpu * 1e7) / side.answers) / 10,
      p99Ms: side.p99.sort((a, b) => a - b)[Math.floor(side.p99.length / 2)],
      errors: side.errors,
      peakRssMb: Math.round(peakRssMb(side.server)),
      coldStartMs: Math.round(side.coldStartMs),
    });
    if (!paired) {
      console.log(JSON.stringify(report(servers[0])));
      return;
    }
    const [a, b] = servers.map(report);
    // Per pair of consecutive slices: how the sides compared while the machine was the same.
    const ratios = servers[0].slices.map((cpuA, i) => servers[1].slices[i] / cpuA).sort((x, y) => x - y);
    console.log(JSON.stringify({ a, b, bOverA: Math.round((1000 * b.cpuUsPerAnswer) / a.cpuUsPerAnswer) / 1000, sliceRatios: { min: ratios[0].toFixed(3), median: ratios[Math.floor(ratios.length / 2)].toFixed(3), max: ratios[ratios.length - 1].toFixed(3) } }));
  } finally {
    for (const { server } of servers) await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
