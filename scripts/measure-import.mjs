#!/usr/bin/env node
// Measures `pusher-auth directory import` on both backends: a fresh import of N users (with
// user_info, and either a 5-id watchlist or none), the same file again (every row an update),
// and an export. Needs `npm run build` first (the npm script does it) and the PostgreSQL of the tests
// (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
//
//   npm run measure:import            # 100 000 users
//   npm run measure:import -- 20000   # another count
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const COUNT = Number(process.argv[2] ?? 100_000);
// The bin `npx pusher-auth` runs (package.json "bin").
const CLI = resolve(import.meta.dirname, '../bin/pusher-auth.js');
const ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function usersFile(dir, watchlistLength) {
  const lines = [];
  for (let n = 0; n < COUNT; n++) {
    const watchlist = Array.from(
      { length: watchlistLength },
      (_, k) => `user-${(n * 7 + k * 13 + 1) % COUNT}`,
    );
    lines.push(
      JSON.stringify({
        id: `user-${n}`,
        user_info: { name: `User ${n}`, avatar: `https://example.com/avatars/${n}.png` },
        watchlist,
      }),
    );
  }
  const file = join(dir, `users-${watchlistLength}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function timeCli(url, args) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [CLI, 'directory', ...args], {
    env: { PATH: process.env.PATH, DIRECTORY_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function withPostgresDatabase(work) {
  const name = `pusher_auth_measure_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function measure(backend, watchlistLength, url, file, dir) {
  const fresh = timeCli(url, ['import', file]);
  const again = timeCli(url, ['import', file]);
  const exported = join(dir, `export-${backend}.jsonl`);
  const exportS = timeCli(url, ['export', exported, '--force']);
  return {
    backend,
    watchlist: watchlistLength,
    'fresh import (s)': fresh.toFixed(2),
    'users/s': Math.round(COUNT / fresh),
    're-import, all updates (s)': again.toFixed(2),
    'export (s)': exportS.toFixed(2),
    'export size (MB)': (statSync(exported).size / 1e6).toFixed(1),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-measure-'));
try {
  console.log(
    `${COUNT} users; wall-clock times of the whole CLI process (start-up, reading and checking the file, one transaction)`,
  );
  const rows = [];
  for (const watchlistLength of [5, 0]) {
    const file = usersFile(dir, watchlistLength);
    const db = join(dir, `directory-${watchlistLength}.db`);
    rows.push(measure('SQLite file', watchlistLength, `sqlite://${db}`, file, dir));
    rows.push(
      await withPostgresDatabase((url) =>
        measure('PostgreSQL', watchlistLength, url, file, dir),
      ),
    );
  }
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
