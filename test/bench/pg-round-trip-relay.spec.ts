import { Client } from 'pg';
import { countingRelay, CountingRelay } from '../../bench/lib/pg-round-trips';
import { POSTGRES_URL } from '../helpers/postgres';

// The benchmark's "one round trip per look-up" floor rests on this count, so it is checked here
// against the real server, including a reply far larger than one TCP read.
describe('the benchmark relay that counts PostgreSQL round trips', () => {
  let relay: CountingRelay;
  let client: Client;

  beforeEach(async () => {
    const target = new URL(POSTGRES_URL);
    relay = await countingRelay({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    const viaRelay = new URL(POSTGRES_URL);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    client = new Client({ connectionString: viaRelay.toString() });
    await client.connect();
  });

  afterEach(async () => {
    await client.end();
    await relay.close();
  });

  it('counts the ready message that ends the start-up', () => {
    expect(relay.count()).toBe(1);
  });

  it('counts one per simple query, however many statements it carries', async () => {
    await client.query('SELECT 1');
    await client.query('SELECT 1; SELECT 2');
    expect(relay.count()).toBe(3);
  });

  it('counts one per parameterised query (parse, bind, execute, sync in one trip)', async () => {
    const { rows } = await client.query<{ n: number }>(
      'SELECT $1::int AS n',
      [41],
    );
    expect(rows).toEqual([{ n: 41 }]);
    expect(relay.count()).toBe(2);
  });

  it('forwards a 1 MB reply unchanged and keeps counting after it', async () => {
    const { rows } = await client.query<{ text: string }>(
      "SELECT repeat('ab', 500000) AS text",
    );
    expect(rows[0].text).toBe('ab'.repeat(500_000));
    await client.query('SELECT 1');
    expect(relay.count()).toBe(3);
  });
});
