// Summarises a .cpuprofile written by `npm run bench -- --profile`: self time by package and by function.
// Summarise a .cpuprofile: self time by function and by package.
const fs = require('fs');
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas; let total = 0;
const counts = new Map();
prof.samples.forEach((id, i) => { counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)); total += dt[i] || 0; });
const byFn = new Map(), byPkg = new Map();
for (const [id, t] of counts) {
  const n = byId.get(id); const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, '').replace('file:///work/main/', '')}:${cf.lineNumber}`;
  byFn.set(key, (byFn.get(key) || 0) + t);
  let pkg = cf.url.includes('node_modules/') ? cf.url.split('node_modules/').pop().split('/').slice(0, cf.url.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/') : (cf.url ? (cf.url.includes('/dist/') ? 'OUR CODE' : 'node:' + cf.url.replace(/^node:/, '')) : cf.functionName);
  byPkg.set(pkg, (byPkg.get(pkg) || 0) + t);
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${(100 * t / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log('BY PACKAGE\n' + top(byPkg, 25) + '\n\nBY FUNCTION\n' + top(byFn, 40));
