'use strict';
// The load generator, run pinned to its own core: one autocannon run, printed as JSON.
// argv: url durationSeconds connections tokensFile
const { readFileSync } = require('node:fs');
const autocannon = require('autocannon');

const [url, duration, connections, tokensFile] = process.argv.slice(2);
const tokens = JSON.parse(readFileSync(tokensFile, 'utf8'));
let next = 0;

const instance = autocannon(
  {
    url,
    method: 'POST',
    duration: Number(duration),
    connections: Number(connections),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=1234.5678',
    // A different user per request, as on a real page load wave.
    setupClient: (client) => {
      client.on('response', () => undefined);
    },
    requests: [
      {
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length];
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stdout.write(
      JSON.stringify({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        total: result.requests.total,
      }),
    );
  },
);
autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
