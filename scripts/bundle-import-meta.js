// Injected into the bundled dist/main.js (scripts/bundle-service.js): what `import.meta.url` reads
// there, the bundle's own file, so `createRequire(import.meta.url)` resolves from dist/.
export const bundle_import_meta_url =
  require('node:url').pathToFileURL(__filename).href;
