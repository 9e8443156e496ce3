// The last build step, after tsc has written dist/esm and dist/cjs:
// - marks each folder's module format (its own package.json), so Node and TypeScript read
//   dist/esm as ES modules and dist/cjs as CommonJS whatever the package's own "type" says;
// - writes dist/browser.js for a plain <script> tag: the CommonJS modules in one IIFE with a
//   ten-line require() of its own, defining `window.PusherAuthBatch`. The modules import only each
//   other (zero runtime dependencies), which is all that require() resolves: any other import
//   fails this build instead of the page.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const { name, version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

writeFileSync(new URL('esm/package.json', dist), '{ "type": "module" }\n');
writeFileSync(new URL('cjs/package.json', dist), '{ "type": "commonjs" }\n');

const cjs = new URL('cjs/', dist);
const files = readdirSync(cjs)
  .filter((file) => file.endsWith('.js'))
  .sort();
const definitions = files.map((file) => {
  const source = readFileSync(new URL(file, cjs), 'utf8');
  for (const [, required] of source.matchAll(/\brequire\(("[^"]*")\)/g)) {
    const path = JSON.parse(required);
    if (!path.startsWith('./') || !files.includes(path.slice(2))) {
      throw new Error(
        `${file} requires ${path}: the browser build holds only the package's own modules`,
      );
    }
  }
  return `  ${JSON.stringify(file)}: function (module, exports, require) {\n${source}\n  },`;
});
if (!files.includes('index.js')) throw new Error('dist/cjs/index.js is missing');

const browser = `/*! ${name} ${version}, browser build: defines window.PusherAuthBatch */
(function (global) {
'use strict';
var definitions = {
${definitions.join('\n')}
};
var loaded = {};
function load(file) {
  if (!loaded[file]) {
    var module = (loaded[file] = { exports: {} });
    definitions[file](module, module.exports, function (path) {
      return load(path.slice(2));
    });
  }
  return loaded[file].exports;
}
global.PusherAuthBatch = load('index.js');
})(typeof globalThis !== 'undefined' ? globalThis : self);
`;
writeFileSync(new URL('browser.js', dist), browser);
process.stderr.write(
  `${name}: dist/esm, dist/cjs and dist/browser.js (${files.length} modules, ${browser.length} bytes)\n`,
);
