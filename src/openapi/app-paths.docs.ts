import type { OpenAPIObject } from '@nestjs/swagger';
import { APP_NAME_PATTERN } from '../config/apps-file';

const APP_PREFIX = '/apps/{app}/';

/**
 * The `/apps/{name}/…` mounts reuse the unprefixed routes' controllers, so Swagger describes them
 * with the same operation ids and without the path parameter: both are added here, with the 404
 * an unknown name answers.
 */
export function documentAppPaths(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith(APP_PREFIX)) continue;
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.operationId = `${operation.operationId}_forApp`;
      operation.parameters = [
        {
          name: 'app',
          in: 'path',
          required: true,
          description:
            'The app to sign for: `default` (the PUSHER_APP_ID/PUSHER_KEY/PUSHER_SECRET app) or an entry of PUSHER_APPS_FILE',
          schema: { type: 'string', pattern: APP_NAME_PATTERN.source },
        },
        ...(operation.parameters ?? []),
      ];
      operation.responses['404'] = {
        description: 'No app of that name is configured; nothing is signed',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorBodyDto' },
          },
        },
      };
    }
  }
  return document;
}
