#!/usr/bin/env node
'use strict';
// `npm start` (and `npm test`) build only when something the build reads changed since the last
// build, so a restart takes the service's own start-up time instead of a full `npm run build`
// (about 20 s on a busy machine). What was built from is recorded as a fingerprint of contents,
// not of times: a checkout, a touch or a clock change cannot fool it, and a deleted file counts.
const { createHash } = require('node:crypto');
const {
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} = require('node:fs');
const { join, relative, sep } = require('node:path');

/** Everything `npm run build` reads besides node_modules (whose versions the lockfile names). */
const INPUT_DIRS = ['src'];
const INPUT_FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.plugin.json',
  'package-lock.json',
  'scripts/build-service.js',
  'scripts/bundle-service.js',
  'scripts/bundle-import-meta.js',
];
/** What a usable build must contain: the service and the CLI's compiled entries. */
const OUTPUTS = ['dist/main.js', 'dist/cli/main.js'];
/** Inside dist/, so that `npm run build` (which empties dist/) also forgets it. */
const STAMP = 'dist/.build-fingerprint';

function filesUnder(root, dir) {
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return found.map((file) => relative(root, file).split(sep).join('/'));
}

/** A hash of every input's path and contents, in a stable order. */
function sourceFingerprint(root) {
  const files = [
    ...INPUT_DIRS.flatMap((dir) => filesUnder(root, dir)),
    ...INPUT_FILES.filter((file) => existsSync(join(root, file))),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ holds a build of exactly the current inputs. */
function isBuildFresh(root) {
  if (!OUTPUTS.every((file) => existsSync(join(root, file)))) return false;
  const stamp = join(root, STAMP);
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === sourceFingerprint(root)
  );
}

/** Records that dist/ was built from `fingerprint` (computed before the build began). */
function recordBuild(root, fingerprint) {
  writeFileSync(join(root, STAMP), `${fingerprint}\n`);
}

async function main() {
  const root = join(__dirname, '..');
  if (isBuildFresh(root)) {
    process.stderr.write(
      'pusher-auth: dist/ is up to date with src/, not rebuilding\n',
    );
    return 0;
  }
  try {
    require.resolve('typescript/bin/tsc', { paths: [root] });
    require.resolve('esbuild', { paths: [root] });
  } catch {
    process.stderr.write(
      'pusher-auth: src/ changed but the build tools are missing: run "npm ci" first\n',
    );
    return 1;
  }
  process.stderr.write(
    'pusher-auth: building (src/ changed since the last build, or never built)\n',
  );
  const fingerprint = sourceFingerprint(root);
  // Loaded here: a fresh build (the usual start) needs none of the build's modules.
  const { buildService } = require('./build-service');
  const status = await buildService(root);
  if (status === 0) recordBuild(root, fingerprint);
  return status;
}

module.exports = { isBuildFresh, recordBuild, sourceFingerprint, STAMP };

if (require.main === module) {
  main().then((status) => {
    process.exitCode = status;
  });
}
