import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from '../app.factory';
import { loadServiceConfig } from '../extensions/service-config';
import { buildOpenApiDocument } from './openapi-document';

/** `npm run openapi`: writes docs/openapi.json for the default paths, JSONP included. */
export const OPENAPI_FILE = resolve(
  __dirname,
  '..',
  '..',
  'docs',
  'openapi.json',
);

/** The settings the committed description is generated with. */
export const OPENAPI_ENV = {
  DIRECTORY_URL: 'sqlite://:memory:',
  JSONP_ENABLED: 'true',
  LOG_LEVEL: 'silent',
};

export async function renderOpenApi(): Promise<string> {
  const app = await createApp(loadServiceConfig(OPENAPI_ENV));
  try {
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  renderOpenApi()
    .then((text) => {
      mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
      writeFileSync(OPENAPI_FILE, text);
      process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    });
}
