import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import * as swagger from '@nestjs/swagger';
import { applyRecordedDocs } from './deferred-swagger';
import { documentAppPaths } from './app-paths.docs';

export const DOCS_PATH = 'docs';

/** The OpenAPI description of this application's routes (paths as configured). */
export function buildOpenApiDocument(
  app: INestApplication,
): swagger.OpenAPIObject {
  applyRecordedDocs(swagger);
  const config = new swagger.DocumentBuilder()
    .setTitle('pusher-auth')
    .setDescription(
      'Sign-in (user authentication) endpoint for pusher-js, and the operations endpoints. ' +
        'Error bodies never echo the request; 503 and 429 carry Retry-After.',
    )
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return documentAppPaths(swagger.SwaggerModule.createDocument(app, config));
}

/** Swagger UI at /docs and the document at /docs/openapi.json (never in production). */
export function serveApiDocs(app: INestApplication): void {
  swagger.SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    raw: ['json'],
  });
}

function packageVersion(): string {
  // The nearest package.json above this file: src/openapi (the tests), dist/openapi, or dist/
  // itself when this code runs from the bundled dist/main.js.
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string })
        .version;
    if (dirname(dir) === dir) return '0.0.0';
  }
}
