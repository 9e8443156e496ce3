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
//
// Prints one JSON line: CPU µs per answer, req/s, p99 ms, errors, peak RSS MB, cold start ms.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { imageMallocEnv, imageNodeFlags } = require('./lib/deployment');
const { directoryUsers, seedSqlite } = require('./lib/directory');
const { runLoad } = require('./lib/load-runner');
const { cpuSeconds, firstSigned, peakRssMb, startServer, stopServer } = require('./lib/servers');
const { rs256 } = require('./lib/tokens');
const { runtime } = require('./lib/runtimes');

const ROOT = resolve(__dirname, '..');
const CACHE = join(__dirname, 'results/token-cache');
const OWN = ['FLAGS', 'NODE', 'DIST', 'SERVICE', 'CONNECTIONS', 'LOG_FILE'];

const [secondsArg, ...pairs] = process.argv.slice(2);
const seconds = Number(secondsArg) || 8;
const settings = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const serviceEnv = Object.fromEntries(Object.entries(settings).filter(([name]) => !OWN.includes(name)));

async function main() {
  // The largest pool: --quick runs keep a small one beside it.
  const poolFile = readdirSync(CACHE)
    .filter((name) => /^pool-\d+\.txt$/.test(name))
    .sort((a, b) => Number(b.match(/\d+/)[0]) - Number(a.match(/\d+/)[0]))[0];
  if (!poolFile) throw new Error(`no token pool in ${CACHE}: run "npm run bench" once first`);
  const key = JSON.parse(readFileSync(join(CACHE, 'signing-key.json'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'pusher-auth-ab-'));
  const directoryUrl = `sqlite://${join(work, 'directory.db')}`;
  await seedSqlite(directoryUrl, directoryUsers('user-', 1000, ['bench-ready']));
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
    ...imageMallocEnv(ROOT),
    ...serviceEnv,
  };
  const service = resolve(settings.SERVICE ?? join(node.root, 'dist/main.js'));
  const server = await startServer([node.node, ...flags, service], env, '0', settings.LOG_FILE);
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const ready = { token: rs256(key.privateKeyPem, { sub: 'bench-ready', exp, jti: randomBytes(8).toString('hex') }), address: '10.0.0.1' };
  try {
    const coldStartMs = await firstSigned(server, ready);
    const load = { url: `http://127.0.0.1:${server.port}/pusher/user-auth`, connections: Number(settings.CONNECTIONS ?? 50), tokensFile: join(CACHE, poolFile), mode: 'fresh', cycle: 1000 };
    const warm = await runLoad({ ...load, duration: 3, offset: 0 }, '1');
    const before = cpuSeconds(server);
    const measured = await runLoad({ ...load, duration: seconds, offset: warm.used }, '1');
    const cpu = cpuSeconds(server) - before;
    console.log(JSON.stringify({
      settings,
      cpuUsPerAnswer: Math.round((cpu * 1e7) / measured.total) / 10,
      requestsPerSecond: Math.round(measured.requestsPerSecond),
      p99Ms: measured.p99,
      errors: measured.errors,
      peakRssMb: Math.round(peakRssMb(server)),
      coldStartMs: Math.round(coldStartMs),
    }));
  } finally {
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
