'use strict';
// The load generator, run pinned to its own core: one autocannon run, printed as JSON.
// argv[2]: JSON { url, connections, tokensFile, offset, and either duration (s) or amount,
//   and mode: 'fresh' (each request takes the next unused line of the pool: no token repeats) or
//   'cycle' (the first `cycle` lines of the pool, round-robin: today's reused tokens) }.
// Each pool line is "<client address> <token>"; the address goes in X-Forwarded-For, as an
// ingress would set it. In 'fresh' mode autocannon is capped at the lines left, so the run ends
// early (and says so) when the pool runs out instead of sending a token twice.
const { readFileSync } = require('node:fs');
const autocannon = require('autocannon');

const options = JSON.parse(process.argv[2]);
const lines = readFileSync(options.tokensFile, 'utf8').split('\n').filter(Boolean);
const available = lines.length - options.offset;
const fresh = options.mode === 'fresh';
if (fresh && available < options.connections) {
  console.error(`token pool ${options.tokensFile}: ${available} tokens left for ${options.connections} connections`);
  process.exit(2);
}

let next = options.offset;
// Every token sent in 'fresh' mode, to count repeats rather than trust the cap (about 0.2 µs a
// request on the load generator's core).
const sent = new Set();
function nextLine() {
  if (!fresh) return lines[options.offset + ((next++ - options.offset) % options.cycle)];
  const line = lines[next++ % lines.length];
  sent.add(line);
  return line;
}

let lastResponse = 0n;
const started = process.hrtime.bigint();
const instance = autocannon(
  {
    url: options.url,
    method: 'POST',
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    ...(fresh && !options.amount ? { maxOverallRequests: available } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=1234.5678',
    requests: [
      {
        // Called once per request sent (autocannon builds each request just before writing it).
        setupRequest: (request) => {
          const line = nextLine();
          const space = line.indexOf(' ');
          return {
            ...request,
            headers: {
              ...request.headers,
              authorization: `Bearer ${line.slice(space + 1)}`,
              'x-forwarded-for': line.slice(0, space),
            },
          };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const used = next - options.offset;
    const elapsedS = Number(lastResponse - started) / 1e9;
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
    );
    process.stdout.write(
      JSON.stringify({
        // Served over the time from the first request to the last answer: right also when the
        // pool ran out early (autocannon's own per-second mean would count a partial second).
        requestsPerSecond: result.requests.total / elapsedS,
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        // autocannon counts timeouts among its errors.
        errors: result.errors + result.non2xx,
        timeouts: result.timeouts,
        statusCodes,
        total: result.requests.total,
        elapsedS,
        used,
        repeats: fresh ? used - sent.size : 0,
        exhausted: fresh && !options.amount && next >= lines.length,
      }),
    );
  },
);
instance.on('response', () => {
  lastResponse = process.hrtime.bigint();
});
