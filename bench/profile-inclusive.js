// Inclusive (self + callees) time of the functions in a .cpuprofile whose name or file matches
// argv[3] (a regular expression): where a request's time goes, stage by stage.
const fs = require('fs');
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pattern = new RegExp(process.argv[3] || '.');
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const selfTime = new Map();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] || 0;
  selfTime.set(id, (selfTime.get(id) || 0) + dt);
  total += dt;
});
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
const inclusive = new Map();
for (const [id, t] of selfTime) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (seen.has(k)) continue; // count recursion once
    seen.add(k);
    if (pattern.test(k)) inclusive.set(k, (inclusive.get(k) || 0) + t);
  }
}
console.log([...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] || 40))
  .map(([k, t]) => `${(100 * t / total).toFixed(1).padStart(5)}%  ${k}`).join('\n'));
