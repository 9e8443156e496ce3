'use strict';
// The results as text: a table per runtime, printed and written to docs/performance.md (between
// markers, so the hand-written sections around it stay), and the issue's floors, which are
// informational: a run fails on errors only, never on slowness. Every ratio compares two rows of
// one runtime in one run.
const { readFileSync, writeFileSync } = require('node:fs');

const BEGIN = '<!-- bench:results:begin';
const END = '<!-- bench:results:end -->';

const num = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '–');
const thousands = (value) => Math.round(value).toLocaleString('en-GB').replace(/,/g, ' ');

/** The rows of each runtime, in the order they ran; the burst with its runtime's. */
function byRuntime(results) {
  const all = [...results.rows, ...(results.burst ? [results.burst] : [])];
  return [...new Set(all.map((row) => row.node))].map((node) => ({ node, rows: all.filter((row) => row.node === node) }));
}

function tableLines(rows) {
  const lines = [
    '| scenario | req/s | vs best peer | by CPU | p50 ms | p99 ms | errors | peak RSS MB | cold start ms | CPU µs/req | vs raw limit | core share |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const name = row.kind === 'main' ? `**${row.name}**` : row.name;
    const cold = row.coldStarts?.length > 1 ? `${num(row.coldStartMs)} (median of ${row.coldStarts.length})` : num(row.coldStartMs);
    lines.push(
      `| ${name}${row.exhausted ? ' (token pool ran out)' : ''} | ${num(row.requestsPerSecond)} | ${ratio(row.vsPeer)} | ` +
        `${ratio(row.vsPeerByCpu)} | ${num(row.p50, 1)} | ${num(row.p99, 1)} | ${row.errors}${statusNote(row)} | ` +
        `${num(row.peakRssMb)} | ${cold} | ${num(row.cpuUsPerRequest)} | ${ratio(row.vsRaw)} | ${num(100 * row.coreShare)}% |`,
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

/** The issue's floors, each on one runtime's rows of this run. */
function floors(results) {
  const lines = ['| floor | Node | measured | verdict |', '| --- | --- | --- | --- |'];
  const verdict = (value, holds) => (Number.isFinite(value) ? (holds ? 'holds' : '**does not hold**') : 'not measured');
  for (const { node, rows } of byRuntime(results)) {
    const main = rows.find((row) => row.kind === 'main');
    if (!main) continue;
    const major = Number(node.split('.')[0]);
    const peerFloor = major >= 24 ? 1.2 : 2.0;
    const best = rows.find((row) => row.key === main.bestPeer);
    lines.push(`| service vs the best peer, req/s | ${node} | ${ratio(main.vsPeer)}${best ? ` (${best.name})` : ''}, ${ratio(main.vsPeerByCpu)} by CPU | ≥ ${peerFloor.toFixed(1)}x: ${verdict(main.vsPeer, main.vsPeer >= peerFloor)} |`);
    const sameWork = rows.find((row) => row.kind === 'same-work');
    if (sameWork) {
      lines.push(`| service vs the peer doing the same work, req/s | ${node} | ${ratio(main.vsSameWork)} (${sameWork.name}), ${ratio(main.vsSameWorkByCpu)} by CPU | no floor: read beside the line above |`);
    }
    if (major >= 24) {
      lines.push(`| service vs the raw limit, req/s | ${node} | ${ratio(main.vsRaw)} | ≥ 0.45x: ${verdict(main.vsRaw, main.vsRaw >= 0.45)} |`);
    }
    lines.push(`| p99 at ${results.settings.connections} connections, ≤ the best peer's | ${node} | ${num(main.p99, 1)} ms against ${num(best?.p99, 1)} ms | ${verdict(best?.p99, main.p99 <= best?.p99)} |`);
    lines.push(`| peak RSS under load | ${node} | ${num(main.peakRssMb)} MB | ≤ 160 MB: ${verdict(main.peakRssMb, main.peakRssMb <= 160)} |`);
    if (major >= 24) {
      lines.push(`| cold start to the first signed answer (median) | ${node} | ${num(main.coldStartMs / 1000, 2)} s | ≤ 0.9 s: ${verdict(main.coldStartMs, main.coldStartMs <= 900)} |`);
    }
    const burst = rows.find((row) => row.kind === 'burst');
    if (burst) {
      const served = burst.errors === 0 && burst.served === burst.users;
      const share = burst.requestsPerSecond / main.requestsPerSecond;
      lines.push(`| burst vs the service row, req/s | ${node} | ${ratio(share)} (${num(burst.requestsPerSecond)} against ${num(main.requestsPerSecond)}) | ≥ 0.6x: ${verdict(share, share >= 0.6)} |`);
      lines.push(`| burst: peak RSS, errors | ${node} | ${num(burst.peakRssMb)} MB, ${burst.errors} errors, ${thousands(burst.served)} of ${thousands(burst.users)} served | ≤ 160 MB and 0 errors: ${verdict(burst.peakRssMb, burst.peakRssMb <= 160 && served)} |`);
    }
  }
  const rt = results.roundTrips?.perLookup;
  if (Number.isFinite(rt)) lines.push(`| PostgreSQL round trips per look-up, cache off | ${results.imageRuntime} | ${num(rt, 2)} | ≤ 1: ${verdict(rt, rt <= 1)} |`);
  return lines;
}

function summaryLines(results) {
  const { burst, roundTrips, settings } = results;
  const lines = [
    '"vs best peer" is the row\'s req/s over that of the faster peer (Express + passport-jwt, or NestJS as its docs ' +
      'teach it) on the same Node in the same run (the peer with the service\'s per-request features is not one: the ' +
      'floors compare with the bare check); "by CPU" is the same comparison by CPU time per answer (user and ' +
      'system, every thread, while measured): the ratio the rows would reach if each server had its core to itself, ' +
      'much steadier than req/s when other work shares the machine; core share is how much of its core the server got.',
  ];
  if (burst) {
    lines.push(
      `Burst (Node ${burst.node}): ${thousands(burst.users)} distinct users, each signing in once with a token never seen before, ` +
        `caches cold, PostgreSQL directory, ${burst.connections} connections: ` +
        (burst.served === burst.users ? 'all served in ' : `${thousands(burst.served)} signed (the others failed) in `) +
        `**${num(burst.elapsedS, 2)} s** (${num(burst.requestsPerSecond)} answers/s), p50 ${num(burst.p50, 1)} ms, ` +
        `p99 ${num(burst.p99, 1)} ms, max ${num(burst.max)} ms, ${burst.errors} errors${statusNote(burst)}.`,
    );
  }
  if (roundTrips) {
    lines.push(
      `PostgreSQL round trips per directory look-up (cache off, Node ${results.imageRuntime}): **${num(roundTrips.perLookup, 2)}** ` +
        `(${roundTrips.roundTrips} ReadyForQuery messages for ${roundTrips.lookups} sign-ins one after the other, through a counting relay).`,
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
  const mostUsed = Math.max(...results.rows.map((row) => row.used ?? 0));
  lines.push(
    `Token pool: ${thousands(settings.pool)} RS256 tokens minted before the run ` +
      `(${results.tokensMintedNow ? 'minted by this run' : 'by an earlier run, cached'}); the most one server used ` +
      `(warm-up and measured) was ${thousands(mostUsed)}; ` +
      (results.rows.some((row) => row.exhausted) ? `**it ran out** in: ${results.rows.filter((row) => row.exhausted).map((row) => `${row.name} (Node ${row.node})`).join('; ')}.` : 'it never ran out.'),
  );
  for (const note of results.notMeasured) lines.push(`${note}.`);
  if (results.nodeFlags?.length > 0) {
    lines.push(
      `Service rows ran \`node ${results.nodeFlags.join(' ')} dist/main.js\` (the flags of \`docker/Dockerfile\`'s CMD, and its ` +
        '`MALLOC_ARENA_MAX`); the other rows ran `node <file>`, as their authors would start them.',
    );
  }
  if (results.compileCache) {
    lines.push(
      'Service rows on Node 22 or later started with a compile cache built as the image builds its own (`docker/warm-compile-cache.js`, ' +
        'once per Node before the row), a fresh copy for each start, as every container starts from the image; Node 20 has none.',
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
    `\npusher-auth benchmark${results.quick ? ' (--quick: short runs, a smoke test)' : ''}: ${header(results)}`,
    ...byRuntime(results).flatMap(({ node, rows }) => ['', `Node ${node}`, ...tableLines(rows)]),
    '',
    ...summaryLines(results),
    '',
    'Floors (informational; the run fails on errors only):',
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
    `![requests per second and p99 per row, per runtime](${chartFile})`,
    '',
    ...byRuntime(results).flatMap(({ node, rows }) => [`### Node ${node}`, '', ...tableLines(rows), '']),
    ...summaryLines(results).flatMap((line) => [line, '']),
    '### Floors',
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
