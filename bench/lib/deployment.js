'use strict';
// What docker/Dockerfile says about how the service runs, read by the bench so that every service
// row runs as the image does: the CMD's V8 flags, the compile cache and glibc's malloc setting.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function dockerfile(root) {
  const path = join(root, 'docker/Dockerfile');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The CMD's node flags, between "node" and "dist/main.js" (none without a Dockerfile). */
function imageNodeFlags(root) {
  const cmd = dockerfile(root).split('\n').filter((line) => line.startsWith('CMD [')).pop();
  const argv = cmd ? JSON.parse(cmd.slice('CMD '.length)) : [];
  return argv[0] === 'node' ? argv.slice(1, argv.indexOf('dist/main.js')) : [];
}

/** Whether the image ships a compile cache (it sets NODE_COMPILE_CACHE). */
function imageHasCompileCache(root) {
  return /^ENV NODE_COMPILE_CACHE=/m.test(dockerfile(root));
}

/** The image's `ENV MALLOC_ARENA_MAX=…`, as environment for a service row (or nothing). */
function imageMallocEnv(root) {
  const match = /^ENV (MALLOC_ARENA_MAX)=(\d+)$/m.exec(dockerfile(root));
  return match ? { [match[1]]: match[2] } : {};
}

module.exports = { imageNodeFlags, imageHasCompileCache, imageMallocEnv };
