'use strict';
// The build's last step (scripts/build-service.js): replaces dist/main.js (tsc's entry) with one
// bundled file holding the service and the libraries it loads at start. A start then reads one
// file instead of resolving, reading and linking about 4 600 modules (Nest 12 is ES modules,
// loaded from our CommonJS through require(esm)): the image's start to its first signed answer
// falls from about 1.4 s to under 0.9 s on a quiet core (docs/decisions/0021-bundled-entry.md).
// The rest of dist/ stays as tsc wrote it: the CLI, the OpenAPI and settings writers, and the
// plugin API run from there.
const { writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

/**
 * Left out of the bundle, loaded from node_modules at run time:
 * - native code and what is shared with plugins, which must be the one copy a plugin sees too
 *   (`zod` builds a plugin's settings schema; dist/plugin is matched below);
 * - optional packages that Nest, its Fastify adapter and pg load only when a feature asks for
 *   them; none is installed, and a feature that needed one would fail as it does unbundled.
 */
const EXTERNAL = [
  'better-sqlite3',
  'zod',
  // Loaded on first use only, when a setting asks for them (REDIS_URL, a YAML policy or apps file,
  // the API docs outside production): out of the bundle, a start that does not use them does not
  // hold their code in memory.
  'ioredis',
  'yaml',
  '@nestjs/swagger',
  // pusher's HTTP client: its URL parser requires Node's deprecated `punycode` module. From inside
  // node_modules that require is silent; inlined into dist/main.js, Node 22 and later print a
  // deprecation warning at every start, ahead of our own messages.
  'node-fetch',
  // Where pusher's AbortSignal comes from: node-fetch accepts a signal only if its class is named
  // `AbortSignal`, and inside the bundle that class is renamed (the global AbortSignal is used
  // too), so every Pusher REST call (ending connections) would be refused.
  'abort-controller',
  'pg-native',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-express',
  '@fastify/multipart',
  '@fastify/view',
];

/**
 * The plugin API (dist/plugin) stays a module of its own: plugins `require('pusher-auth/plugin')`,
 * and the service must see the same classes (`instanceof IdentityProviderUnavailable`).
 */
function keepPluginApiOutside(dist) {
  const pluginDir = join(dist, 'plugin') + sep;
  return {
    name: 'plugin-api-outside',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = join(args.resolveDir, args.path);
        if (!target.startsWith(pluginDir)) return undefined;
        const fromEntry = relative(dist, target).split(sep).join('/');
        return { path: `./${fromEntry}`, external: true };
      });
    },
  };
}

/** Bundles `<root>/dist/main.js` in place; throws with esbuild's messages when it cannot. */
async function bundleService(root) {
  // A build tool (a devDependency): loaded only when bundling, never by the service.
  const esbuild = require('esbuild');
  const dist = join(root, 'dist');
  const entry = join(dist, 'main.js');
  const shim = join(__dirname, 'bundle-import-meta.js');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // V8 keeps a script's source in memory: without spaces and comments, the bundle holds about
    // 10 MB less at its peak. Identifiers stay readable, for stack traces in the logs.
    minifyWhitespace: true,
    // Not `minifySyntax`: it turns tsc's `let X = class X {` into `X = class {`, whose name would
    // follow any renaming of X, and Nest names providers and log contexts after their classes.
    // Not `keepNames`: it wraps every function made at run time in a naming call, 1.21x a
    // sign-in's CPU (decision 0021). The classes esbuild renames get their names back below, once,
    // as each is defined; node-fetch, which compares a class's name, is outside with that class.
    minifySyntax: false,
    keepNames: false,
    external: EXTERNAL,
    plugins: [keepPluginApiOutside(dist)],
    // ES modules bundled into CommonJS have no import.meta: `createRequire(import.meta.url)` in
    // Nest's packages resolves from the bundle's own file instead.
    inject: [shim],
    define: { 'import.meta.url': 'bundle_import_meta_url' },
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  // Libraries' own warnings (odd comparisons, requires in try blocks) are not ours to act on.
  const ours = result.warnings.filter(
    (w) => !w.location?.file.includes('node_modules/'),
  );
  for (const warning of ours) {
    process.stderr.write(`bundle: ${warning.text}\n`);
  }
  const code = escapeNonAscii(restoreClassNames(result.outputFiles[0].text));
  writeFileSync(entry, code);
  return { bytes: Buffer.byteLength(code) };
}

/** `X=class _X{` or `X=class X2{` (optionally `extends` a plain name), as esbuild writes them. */
const CLASS_EXPRESSION =
  /\b([A-Za-z_$][\w$]*)=class ([A-Za-z_$][\w$]*)((?: extends [\w$.]+)?)\{/g;

/**
 * esbuild turns `class X {` into `X=class _X {` (and `let X = class X {` into `X=class X2 {` where
 * bundled modules share a scope), so `X.name` would be "_X": Nest would log "_InstanceLoader" and
 * "TerminusModule2", and name our providers so in its errors. Each such class gets its source
 * name back with a static block, run once as the class is defined (what keepNames does for
 * classes, without its cost for functions). tsc's `X_1` binding is the class X.
 */
function restoreClassNames(code) {
  return code.replace(CLASS_EXPRESSION, (whole, binding, inner, heritage) => {
    const name = binding.replace(/_1$/, '');
    const renamed =
      inner !== name &&
      (inner === `_${name}` ||
        (inner.startsWith(name) && /^\d+$/.test(inner.slice(name.length))));
    if (!renamed) return whole;
    return `${binding}=class ${inner}${heritage}{static{Object.defineProperty(this,"name",{value:"${name}"})}`;
  });
}

/** A character outside ASCII, with the backslashes right before it. */
const NON_ASCII = /(\\*)([^\x00-\x7f])/g;

/**
 * V8 keeps a script's source as long as its functions live, and one character above U+00FF
 * stores the whole source at two bytes a character: validator's locale patterns (`/^[А-Я]+$/i`,
 * regex literals, which esbuild leaves as they are) doubled the bundle's 4.4 MB in the heap.
 * A `\uXXXX` escape means the same character in a string, a regex literal (a pair of them is
 * one code point under the `u` flag), an identifier and a comment; an escaped non-ASCII
 * character (`\é`, an identity escape) loses its backslash, as it means the character itself.
 */
function escapeNonAscii(code) {
  return code.replace(NON_ASCII, (whole, slashes, char) => {
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    const unit = char.charCodeAt(0).toString(16).padStart(4, '0');
    return `${kept}\\u${unit}`;
  });
}

module.exports = {
  bundleService,
  escapeNonAscii,
  keepPluginApiOutside,
  restoreClassNames,
  EXTERNAL,
};
