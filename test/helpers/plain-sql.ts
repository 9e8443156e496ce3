import Database from 'better-sqlite3';
import { Client } from 'pg';
import { sqliteFileFromUrl } from '../../src/directory/backends/directory-connection';

/**
 * Runs plain SQL against the directory's database from outside the service (not through its
 * code), on SQLite or PostgreSQL, as a database user would: the statements in one transaction.
 */
export async function execSql(
  url: string,
  statements: string | readonly string[],
): Promise<void> {
  const all = typeof statements === 'string' ? [statements] : statements;
  if (url.startsWith('sqlite://')) {
    const db = new Database(sqliteFileFromUrl(url));
    try {
      db.transaction(() => all.forEach((statement) => db.exec(statement)))();
    } finally {
      db.close();
    }
    return;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of all) await client.query(statement);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
