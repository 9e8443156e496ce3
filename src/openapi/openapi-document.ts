import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  // Two levels up from both src/openapi (the tests) and dist/openapi (compiled).
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string })
    .version;
}
