'use strict';
// One autocannon run (bench/load.js) in its own process pinned to `core`; resolves its JSON.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

function runLoad(options, core) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('taskset', ['-c', core, process.execPath, join(__dirname, '..', 'load.js'), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(output)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

module.exports = { runLoad };
