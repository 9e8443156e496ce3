'use strict';
// Preloaded into the service (`node -r bench/loop-delay.js dist/main.js`) by `npm run bench --
// --loop-delay`; never part of the product. Samples how late the event loop runs
// (perf_hooks.monitorEventLoopDelay, every 5 ms) and every garbage collection's pause
// (PerformanceObserver 'gc'), from the bench's SIGUSR2 (the start of the measured run) to the
// process's exit, and writes them as JSON to BENCH_LOOP_DELAY_FILE. Also the longest stalls seen
// by a 5 ms ticker, each with the collections that overlapped it, to tell GC from our own work.
const { writeFileSync } = require('node:fs');
const { PerformanceObserver, constants, monitorEventLoopDelay, performance } = require('node:perf_hooks');

const file = process.env.BENCH_LOOP_DELAY_FILE;
const TICK_MS = 5;
const STALL_MS = 20;
const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
let gc = [];
let stalls = [];
let startedAt = performance.now();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.push({ kind: KINDS[entry.detail?.kind ?? entry.kind] ?? 'other', start: entry.startTime, ms: entry.duration });
  }
}).observe({ entryTypes: ['gc'] });

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - TICK_MS;
  if (late >= STALL_MS) stalls.push({ at: last, ms: late });
  last = now;
}, TICK_MS).unref();

process.on('SIGUSR2', () => {
  histogram.reset();
  histogram.enable();
  gc = [];
  stalls = [];
  startedAt = performance.now();
});

function summary() {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const byKind = {};
  for (const { kind, ms: pause } of gc) {
    const k = (byKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    k.count++;
    k.totalMs += pause;
    k.maxMs = Math.max(k.maxMs, pause);
  }
  const overlapping = (stall) =>
    gc.filter((g) => g.start < stall.at + TICK_MS + stall.ms && g.start + g.ms > stall.at).map((g) => `${g.kind} ${g.ms.toFixed(1)} ms`);
  const longest = [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 5);
  return {
    seconds: (performance.now() - startedAt) / 1000,
    delay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean) },
    gc: byKind,
    gcOver10Ms: gc.filter((g) => g.ms > 10).length,
    stallsOver20Ms: stalls.length,
    longestStalls: longest.map((stall) => ({ atS: Number(((stall.at - startedAt) / 1000).toFixed(2)), ms: Number(stall.ms.toFixed(1)), gc: overlapping(stall) })),
  };
}

process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify(summary()));
});
