import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenApi } from '../../src/openapi/write-openapi';
import {
  BASE_ENV,
  startTestApp,
  temporarySqliteUrl,
} from '../helpers/test-app';

describe('OpenAPI description', () => {
  it('docs/openapi.json is current (regenerate it with `npm run openapi`)', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(await renderOpenApi()).toBe(committed);
    const document = JSON.parse(committed);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/apps/{app}/pusher/auth',
      '/apps/{app}/pusher/user-auth',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/pusher/auth',
      '/pusher/user-auth',
    ]);
    expect(
      Object.keys(document.paths['/pusher/user-auth']['post'].responses).sort(),
    ).toEqual(['200', '400', '403', '429', '503']);
    const forApp = document.paths['/apps/{app}/pusher/user-auth']['post'];
    expect(Object.keys(forApp.responses).sort()).toEqual([
      '200',
      '400',
      '403',
      '404',
      '429',
      '503',
    ]);
    expect(forApp.parameters[0]).toMatchObject({ name: 'app', in: 'path' });
    const operationIds: string[] = [];
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item as object)) {
        operationIds.push((operation as { operationId: string }).operationId);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('serves Swagger UI at /docs and the document at /docs/openapi.json outside production', async () => {
    const service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    try {
      const page = await service.app.inject({ method: 'GET', url: '/docs' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const script = await service.app.inject({
        method: 'GET',
        url: '/docs/swagger-ui-bundle.js',
      });
      expect(script.statusCode).toBe(200);
      const json = await service.app.inject({
        method: 'GET',
        url: '/docs/openapi.json',
      });
      expect(json.statusCode).toBe(200);
      expect(json.json().paths['/pusher/user-auth'].post).toBeDefined();
    } finally {
      await service.close();
    }
  });

  it('serves no docs in production', async () => {
    const file = temporarySqliteUrl();
    const service = await startTestApp({
      ...BASE_ENV,
      NODE_ENV: 'production',
      DIRECTORY_URL: file.url,
    });
    try {
      for (const url of ['/docs', '/docs/openapi.json']) {
        const response = await service.app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(404);
      }
    } finally {
      await service.close();
      file.cleanup();
    }
  });
});
