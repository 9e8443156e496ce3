#!/usr/bin/env node
'use strict';
// `npx pusher-auth …` runs this file (package.json "bin"). It is committed with its execute bit
// and no build touches it: a bin pointing into dist/ would lose that bit on every `nest build`
// (which recreates dist/ from scratch) and then fail with "Permission denied".
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write(
    `pusher-auth: not built yet; run "npm run build" (or "npm start") in ${root} first\n`,
  );
  process.exitCode = 2;
} else {
  require(compiled);
}
