#!/usr/bin/env node
'use strict';
// The service's build, its steps listed once: `npm run build:service` runs this file, and
// scripts/build-if-changed.js (npm start, npm test) calls buildService, so both build the same.
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { bundleService } = require('./bundle-service');

/** What tsc compiles: the service and CLI, then the plugin API's type declarations. */
const TSC_PROJECTS = ['tsconfig.build.json', 'tsconfig.plugin.json'];

/** Builds `<root>/dist` from src/; resolves to an exit status (0: built), having said why not. */
async function buildService(root) {
  // A deleted source must not leave its old output behind.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  for (const project of TSC_PROJECTS) {
    const run = spawnSync(process.execPath, [tsc, '-p', project], {
      cwd: root,
      stdio: 'inherit',
    });
    if (run.status !== 0) return run.status ?? 1;
  }
  try {
    const { bytes } = await bundleService(root);
    process.stderr.write(
      `bundle: dist/main.js, ${(bytes / 1e6).toFixed(1)} MB\n`,
    );
    return 0;
  } catch (error) {
    const messages = error.errors?.map(
      (e) => `${e.location?.file ?? '?'}: ${e.text}`,
    ) ?? [String(error)];
    process.stderr.write(`bundle: failed\n${messages.join('\n')}\n`);
    return 1;
  }
}

module.exports = { buildService, TSC_PROJECTS };

if (require.main === module) {
  buildService(join(__dirname, '..')).then((status) => {
    process.exitCode = status;
  });
}
