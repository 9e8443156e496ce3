import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL; override with TEST_POSTGRES_URL. */
export const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function connectAdmin(): Promise<Client> {
  const client = new Client({
    connectionString: POSTGRES_URL,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_URL} (${(error as Error).message}). ` +
        'These tests need a real server: start it with ' +
        "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' " +
        'or point TEST_POSTGRES_URL at one.',
      { cause: error },
    );
  }
  return client;
}

/** A fresh, empty database per test file, so runs never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pusher_auth_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = await connectAdmin();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
