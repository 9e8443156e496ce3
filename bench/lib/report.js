'use strict';
// The results as text: the table printed and written to docs/performance.md (between markers, so
// the hand-written sections around it stay), and the floors and goals of the main row, which are
// informational: a run fails on errors only, never on slowness.
const { readFileSync, writeFileSync } = require('node:fs');

const BEGIN = '<!-- bench:results:begin';
const END = '<!-- bench:results:end -->';

const num = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const thousands = (value) => Math.round(value).toLocaleString('en-GB').replace(/,/g, ' ');

function tableLines(results) {
  const lines = [
    '| scenario | Node | req/s | vs baseline | p50 ms | p99 ms | errors | peak RSS MB | cold start ms | CPU µs/req | by CPU | core share |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of [...results.rows, ...(results.burst ? [results.burst] : [])]) {
    const name = row.kind === 'main' ? `**${row.name}**` : row.name;
    const cold = row.coldStarts?.length > 1 ? `${num(row.coldStartMs)} (median of ${row.coldStarts.length})` : num(row.coldStartMs);
    lines.push(
      `| ${name}${row.exhausted ? ' (token pool ran out)' : ''} | ${row.node} | ${num(row.requestsPerSecond)} | ` +
        `${num(row.ratio, 2)}x | ${num(row.p50, 1)} | ${num(row.p99, 1)} | ${row.errors}${statusNote(row)} | ` +
        `${num(row.peakRssMb)} | ${cold} | ${num(row.cpuUsPerRequest)} | ${num(row.cpuRatio, 2)}x | ${num(100 * row.coreShare)}% |`,
    );
  }
  return lines;
}

function statusNote(row) {
  const parts = Object.entries(row.statusCodes ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${count}× ${code}`);
  if (row.timeouts > 0) parts.push(`${row.timeouts} timeouts`);
  const other = row.errors - Object.entries(row.statusCodes ?? {}).reduce((sum, [code, count]) => sum + (code.startsWith('2') ? 0 : count), 0) - (row.timeouts ?? 0);
  if (other > 0) parts.push(`${other} socket errors`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The issue's floors and goals, for each main row (the runtime in use and the candidate). */
function floors(results) {
  const mains = results.rows.filter((row) => row.kind === 'main');
  const { baseline, roundTrips, burst } = results;
  const checks = [
    { what: 'req/s vs the Express example, same run', floor: '≥ 1.0x', goal: '1.2x', value: (r) => r.ratio, show: (v) => `${num(v, 2)}x`, holds: (v) => v >= 1, met: (v) => v >= 1.2 },
    { what: 'the same, estimated from CPU per answer (steadier on a busy machine)', floor: '≥ 1.0x', goal: '1.2x', value: (r) => r.cpuRatio, show: (v) => `${num(v, 2)}x`, holds: (v) => v >= 1, met: (v) => v >= 1.2 },
    { what: `p99 at ${results.settings.connections} connections`, floor: `≤ the example's (${num(baseline.p99, 1)} ms)`, goal: '≤ 15 ms', value: (r) => r.p99, show: (v) => `${num(v, 1)} ms`, holds: (v) => v <= baseline.p99, met: (v) => v <= 15 },
    { what: 'peak RSS under load', floor: '≤ 200 MB', goal: '≤ 150 MB', value: (r) => r.peakRssMb, show: (v) => `${num(v)} MB`, holds: (v) => v <= 200, met: (v) => v <= 150 },
    { what: 'cold start to first signed answer', floor: '≤ 1.0 s', goal: '≤ 0.5 s', value: (r) => r.coldStartMs, show: (v) => `${num(v / 1000, 2)} s`, holds: (v) => v <= 1000, met: (v) => v <= 500 },
  ];
  const verdict = (check, v) => (!Number.isFinite(v) ? 'not measured' : `${check.show(v)}: ${check.holds(v) ? 'holds' : '**does not hold**'}${check.met(v) ? ', goal met' : ''}`);
  const lines = [
    `| what, main row | floor | goal | ${mains.map((row) => `Node ${row.node}`).join(' | ')} |`,
    `| --- | --- | --- |${mains.map(() => ' --- |').join('')}`,
  ];
  for (const check of checks) {
    lines.push(`| ${check.what} | ${check.floor} | ${check.goal} | ${mains.map((row) => verdict(check, check.value(row))).join(' | ')} |`);
  }
  const rt = roundTrips?.perLookup;
  const rtText = Number.isFinite(rt) ? `${num(rt, 2)} per look-up: ${rt <= 1 ? 'holds' : '**does not hold**'}` : 'not measured';
  lines.push(`| PostgreSQL, cache off | one round trip per look-up | — | ${mains.map(() => rtText).join(' | ')} |`);
  if (burst) {
    const ok = burst.errors === 0 && burst.served === burst.users;
    const text = `${burst.errors} errors, ${thousands(burst.served)} of ${thousands(burst.users)} served: ${ok ? 'holds' : '**does not hold**'}`;
    lines.push(`| burst of ${thousands(burst.users)} sign-ins (PostgreSQL, Node ${burst.node}) | 0 errors | — | ${mains.map(() => text).join(' | ')} |`);
  }
  return lines;
}

function summaryLines(results) {
  const { baseline, burst, roundTrips, settings } = results;
  const lines = [
    'CPU µs/req is the server\'s CPU time (user and system, every thread) per answer while measured; "by CPU" ' +
      'is the baseline\'s CPU per answer divided by the row\'s: the ratio the row would reach if each server had ' +
      'its core to itself, much steadier than req/s when other work shares the machine; core share is how much ' +
      'of its core the server got.',
  ];
  if (burst) {
    lines.push(
      `Burst: ${thousands(burst.users)} distinct users, each signing in once with a token never seen before, ` +
        `caches cold, PostgreSQL directory, ${burst.connections} connections: ` +
        (burst.served === burst.users ? 'all served in ' : `${thousands(burst.served)} signed (the others failed) in `) +
        `**${num(burst.elapsedS, 2)} s** (${num(burst.requestsPerSecond)} answers/s), p50 ${num(burst.p50, 1)} ms, ` +
        `p99 ${num(burst.p99, 1)} ms, max ${num(burst.max)} ms, ${burst.errors} errors${statusNote(burst)}.`,
    );
  }
  if (roundTrips) {
    lines.push(
      `PostgreSQL round trips per directory look-up (cache off): **${num(roundTrips.perLookup, 2)}** ` +
        `(${roundTrips.roundTrips} ReadyForQuery messages for ${roundTrips.lookups} sign-ins through a counting relay).`,
    );
  }
  for (const row of results.rows.filter((r) => r.loopDelay)) {
    const { delay, gc, gcOver10Ms, stallsOver20Ms, longestStalls } = row.loopDelay;
    const kinds = Object.entries(gc).map(([kind, k]) => `${kind} ${k.count} (${num(k.totalMs)} ms, longest ${num(k.maxMs, 1)} ms)`);
    const stalls = longestStalls.map((s) => `${num(s.ms)} ms at ${num(s.atS, 1)} s${s.gc.length ? ` (GC: ${s.gc.join(', ')})` : ' (no GC)'}`);
    lines.push(
      `Event loop, ${row.short} (--loop-delay, measured run): delay p50 ${num(delay.p50, 1)} ms, p99 ${num(delay.p99, 1)} ms, ` +
        `max ${num(delay.max, 1)} ms; GC ${kinds.join(', ') || 'none'}; ${gcOver10Ms} pauses over 10 ms; ` +
        `${stallsOver20Ms} stalls over 20 ms${stalls.length ? `, longest ${stalls.join('; ')}` : ''}.`,
    );
  }
  if (baseline.runs.length > 1) {
    lines.push(
      `The baseline ran first and again last: ${baseline.runs.map((v) => num(v)).join(' and ')} req/s; ` +
        `ratios use their mean (${num(baseline.requestsPerSecond)} req/s, p99 ${num(baseline.p99, 1)} ms).`,
    );
  }
  const mostUsed = Math.max(...results.rows.map((row) => row.used ?? 0));
  lines.push(
    `Token pool: ${thousands(settings.pool)} RS256 tokens minted before the run ` +
      `(${results.tokensMintedNow ? 'minted by this run' : 'by an earlier run, cached'}); the most one server used ` +
      `(warm-up and measured) was ${thousands(mostUsed)}; ` +
      (results.rows.some((row) => row.exhausted) ? `**it ran out** in: ${results.rows.filter((row) => row.exhausted).map((row) => row.name).join('; ')}.` : 'it never ran out.'),
  );
  for (const note of results.notMeasured) lines.push(`${note}.`);
  if (results.nodeFlags?.length > 0) {
    lines.push(`Service rows ran \`node ${results.nodeFlags.join(' ')} dist/main.js\`, the flags of \`docker/Dockerfile\`'s CMD.`);
  }
  if (results.compileCache) {
    lines.push(
      'Rows on Node 22 or later started with a compile cache built as the image builds its own (`docker/warm-compile-cache.js`, ' +
        'once per Node before the row), a fresh copy for each start, as every container starts from the image; Node 20 has none.',
    );
  }
  const main = results.rows.find((row) => row.key === 'main-20');
  if (main && results.podMemoryLimitMb) {
    lines.push(
      `Peak RSS of the main row on Node ${main.node}: ${num(main.peakRssMb)} MB, ${num((100 * main.peakRssMb) / results.podMemoryLimitMb)}% ` +
        `of the pod's ${results.podMemoryLimitMb} Mi limit in \`docker/k8s/deployment.yaml\`.`,
    );
  }
  return lines;
}

function header(results) {
  const { settings } = results;
  return (
    `${settings.connections} connections, ${settings.warmupS} s warm-up and ${settings.measureS} s measured per row, ` +
    `servers on core ${settings.serverCore}, load on core ${settings.loadCore}, ${thousands(settings.users)} directory users, ` +
    `load average ${results.loadAverage.map((v) => v.toFixed(1)).join(' / ')} at the start`
  );
}

function consoleReport(results) {
  return [
    `\npusher-auth benchmark${results.quick ? ' (--quick: short runs, a smoke test)' : ''}: ${header(results)}\n`,
    ...tableLines(results),
    '',
    ...summaryLines(results),
    '',
    'Floors and goals (informational; the run fails on errors only):',
    ...floors(results),
    '',
  ].join('\n');
}

function markdownSection(results, chartFile) {
  const date = results.at.slice(0, 10);
  return [
    `${BEGIN} (written by \`npm run bench\`; edits between these markers are overwritten) -->`,
    `## Results (${date}, \`npm run bench\`)`,
    '',
    `${header(results)}.`,
    '',
    `![requests per second and p99 per row](${chartFile})`,
    '',
    ...tableLines(results),
    '',
    ...summaryLines(results).flatMap((line) => [line, '']),
    '### Floors and goals (main row)',
    '',
    ...floors(results),
    END,
  ].join('\n');
}

/** Replaces the generated section of the document; the markers must already be there. */
function updateDocument(file, results, chartFile) {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no "${BEGIN}" … "${END}" section to replace`);
  writeFileSync(file, text.slice(0, begin) + markdownSection(results, chartFile) + text.slice(end + END.length));
}

module.exports = { consoleReport, updateDocument };
