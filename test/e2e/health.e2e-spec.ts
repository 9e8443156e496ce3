import { Client } from 'pg';
import { LifecycleState } from '../../src/lifecycle/lifecycle-state';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, temporarySqliteUrl, TestApp } from '../helpers/test-app';

async function eventually(
  check: () => Promise<boolean>,
  attempts = 40,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

describe('health probes on PostgreSQL behind a proxy', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestApp;

  const probe = (path: string) =>
    service.app.inject({ method: 'GET', url: `/health/${path}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await TcpProxy.inFrontOf(database.url);
    service = await startTestApp({ DIRECTORY_URL: proxy.urlFor(database.url) });
  });

  afterAll(async () => {
    await service?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('is live and ready while storage answers', async () => {
    const live = await probe('live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok' });
    const ready = await probe('ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      details: { directory: { status: 'up' } },
    });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('turns not ready (503, Retry-After) when storage vanishes, stays live, and recovers', async () => {
    await proxy.stop();
    try {
      const ready = await probe('ready');
      expect(ready.statusCode).toBe(503);
      expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
      expect(ready.json()).toMatchObject({
        status: 'error',
        error: {
          directory: { status: 'down', message: 'storage unreachable' },
        },
      });
      // Nothing about the connection (address, user, driver text) reaches the body.
      expect(ready.body).not.toMatch(/127\.0\.0\.1|postgres|ECONN/i);
      expect((await probe('live')).statusCode).toBe(200);
      expect(
        service.logs.lines.some((line) =>
          /not ready: storage unreachable/.test(line),
        ),
      ).toBe(true);
    } finally {
      await proxy.start(proxy.port);
    }
    expect(
      await eventually(async () => (await probe('ready')).statusCode === 200),
    ).toBe(true);
    expect(
      service.logs.lines.some((line) => /ready: storage reachable/.test(line)),
    ).toBe(true);
  });

  it('is not ready while a migration this version expects is not recorded', async () => {
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ name: string }>(
        'DELETE FROM directory_migration RETURNING name',
      );
      try {
        const ready = await probe('ready');
        expect(ready.statusCode).toBe(503);
        expect(ready.json().error.directory.message).toBe(
          `migrations not applied: ${rows.map((row) => row.name).join(', ')}`,
        );
      } finally {
        for (const { name } of rows) {
          await admin.query(
            'INSERT INTO directory_migration (name, timestamp) VALUES ($1, $2)',
            [name, new Date().toISOString()],
          );
        }
      }
      expect((await probe('ready')).statusCode).toBe(200);
    } finally {
      await admin.end();
    }
  });

  it('turns not ready first when shutdown begins, while still live', async () => {
    service.app.get(LifecycleState).beginShutdown();
    const ready = await probe('ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      error: { lifecycle: { status: 'down', message: 'shutting down' } },
    });
    expect((await probe('live')).statusCode).toBe(200);
    // Every answer now asks keep-alive clients to reconnect (to another replica).
    expect(ready.headers.connection).toBe('close');
  });
});

describe('health probes on a SQLite file', () => {
  it('is ready once migrated', async () => {
    const file = temporarySqliteUrl();
    const service = await startTestApp({ DIRECTORY_URL: file.url });
    try {
      const ready = await service.app.inject({
        method: 'GET',
        url: '/health/ready',
      });
      expect(ready.statusCode).toBe(200);
    } finally {
      await service.close();
      file.cleanup();
    }
  });
});
