'use strict';
// Directories for the servers under test: the product's own migrations, then users written in
// bulk (one transaction on SQLite, one multi-row statement per table on PostgreSQL), so seeding
// 20 000 users takes a second rather than 20 000 upserts.
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');

// Where the service's code and drivers are loaded from: the tree, or (loadFrom) the application
// folder of the bench's own Node (bench/lib/runtimes.js), whose better-sqlite3 build is its own.
let appRoot = join(__dirname, '..', '..');
const req = (path) => require(join(appRoot, path));

/** Seeds with the service's code in `root` (an application folder for the bench's Node). */
function loadFrom(root) {
  appRoot = root;
}

/** The users: `${prefix}0 …`, each with a name and a two-entry watchlist, plus `extra` ids. */
function directoryUsers(prefix, count, extra = []) {
  const ids = [...Array.from({ length: count }, (_, i) => `${prefix}${i}`), ...extra];
  return ids.map((id) => ({ id, userInfo: JSON.stringify({ name: `User ${id}` }), watchlist: [`${prefix}1`, `${prefix}2`] }));
}

async function migrate(url) {
  const { openDirectoryConnection } = req('dist/directory/backends/directory-connection.js');
  const { openUserDirectory } = req('dist/directory/backends/open-directory-backend.js');
  const directory = openUserDirectory(openDirectoryConnection(url));
  try {
    await directory.migrate();
  } finally {
    await directory.close();
  }
}

async function seedSqlite(url, users) {
  await migrate(url);
  const Database = req('node_modules/better-sqlite3');
  const db = new Database(url.slice('sqlite://'.length));
  try {
    const addUser = db.prepare('INSERT INTO directory_users (id, user_info) VALUES (?, ?)');
    const addWatch = db.prepare('INSERT INTO directory_watchlist (user_id, position, watched_id) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const user of users) {
        addUser.run(user.id, user.userInfo);
        user.watchlist.forEach((watched, position) => addWatch.run(user.id, position, watched));
      }
    })();
  } finally {
    db.close();
  }
}

async function seedPostgres(url, users) {
  await migrate(url);
  const { Client } = req('node_modules/pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'INSERT INTO directory_users (id, user_info) SELECT id, info::jsonb FROM unnest($1::text[], $2::text[]) AS u(id, info)',
      [users.map((user) => user.id), users.map((user) => user.userInfo)],
    );
    const watch = users.flatMap((user) => user.watchlist.map((watched, position) => [user.id, position, watched]));
    await client.query(
      'INSERT INTO directory_watchlist (user_id, position, watched_id) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])',
      [watch.map((row) => row[0]), watch.map((row) => row[1]), watch.map((row) => row[2])],
    );
  } finally {
    await client.end();
  }
}

/** Runs `work(url)` against a database created for it on the server of `adminUrl`, dropped after. */
async function withPostgresDatabase(adminUrl, work) {
  const { Client } = req('node_modules/pg');
  const name = `pusher_auth_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

module.exports = { directoryUsers, loadFrom, seedSqlite, seedPostgres, withPostgresDatabase };
