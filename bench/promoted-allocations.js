'use strict';
// What a server's requests leave for the old generation, by the function that allocated it; never
// part of the product. Two uses:
//
//   node bench/ab.js 10 NODE=24 FLAGS="<the image's flags> -r $PWD/bench/promoted-allocations.js" \
//     PROMOTED_FILE=/tmp/promoted.heapprofile        (an absolute path: the server runs elsewhere)
//       preloaded into the server: 6 s after its start (past ab.js's warm-up), V8's sampling heap
//       profiler runs for 8 s, keeping the samples a scavenge did not free (promoted, or still
//       alive at the end) and dropping those a scavenge freed; the profile goes to PROMOTED_FILE.
//       PROMOTED_ALL=1 keeps every sample instead: all that was allocated, for the proportion.
//   node bench/promoted-allocations.js /tmp/promoted.heapprofile [/tmp/all.heapprofile]
//       the top allocating functions and call paths in MB; with the second profile, what share of
//       each function's bytes was promoted.
const { readFileSync, writeFileSync } = require('node:fs');

const START_MS = 6000;
const SAMPLE_MS = 8000;
const SAMPLING_INTERVAL_BYTES = 2048;

function preload() {
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  const everything = process.env.PROMOTED_ALL === '1';
  setTimeout(() => {
    session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: everything,
    });
    setTimeout(() => {
      session.post('HeapProfiler.stopSampling', (error, result) => {
        if (error) process.stderr.write(`promoted-allocations: ${error.message}\n`);
        else writeFileSync(process.env.PROMOTED_FILE, JSON.stringify(result.profile));
      });
    }, SAMPLE_MS).unref();
  }, START_MS).unref();
}

/** Bytes per allocating function ("name file:line") and per call path (its last five frames). */
function tally(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byFunction = new Map();
  const byPath = new Map();
  let total = 0;
  const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
  const walk = (node, path) => {
    const frame = node.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*\//, '')}:${frame.lineNumber}`;
    const here = [...path, name];
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(byFunction, name, node.selfSize);
      add(byPath, here.slice(-5).join(' < '), node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  return { total, byFunction, byPath };
}

function summarise(promotedFile, allFile) {
  const promoted = tally(promotedFile);
  const all = allFile && tally(allFile);
  const mb = (bytes) => (bytes / 1e6).toFixed(2).padStart(7);
  const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`${mb(promoted.total)} MB sampled in all`);
  console.log('\nby allocating function (MB; with a second profile: share of its bytes promoted)');
  for (const [name, bytes] of top(promoted.byFunction)) {
    const of = all?.byFunction.get(name);
    console.log(`${mb(bytes)}${of ? `${((100 * bytes) / of).toFixed(0).padStart(5)}%` : ''}  ${name}`);
  }
  console.log('\nby call path (MB)');
  for (const [path, bytes] of top(promoted.byPath)) console.log(`${mb(bytes)}  ${path}`);
}

if (require.main === module) summarise(process.argv[2], process.argv[3]);
else preload();
