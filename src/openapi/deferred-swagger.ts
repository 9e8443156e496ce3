import type * as Swagger from '@nestjs/swagger';

type SwaggerExports = typeof Swagger;
type DecoratorName =
  | 'ApiBearerAuth'
  | 'ApiConsumes'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiProduces'
  | 'ApiProperty'
  | 'ApiResponse'
  | 'ApiTags';

/** Decorations recorded at class definition, to be applied when a document is first built. */
const recorded: ((swagger: SwaggerExports) => void)[] = [];

/**
 * @nestjs/swagger's decorator `name`, recorded instead of applied: the OpenAPI metadata is only
 * read when a document is built (`/docs` outside production, `npm run openapi`), and loading
 * @nestjs/swagger for its decorators took about 90 ms of every start, production included (the
 * bench's cold start, docs/performance.md, "Round six"). The options are kept as given and the
 * library's own decorator is applied to the same class, method or property later.
 */
function deferred<N extends DecoratorName>(name: N): SwaggerExports[N] {
  const decorator =
    (...options: unknown[]) =>
    (
      target: object,
      key?: string | symbol,
      descriptor?: PropertyDescriptor,
    ) => {
      recorded.push((swagger) => {
        const make = swagger[name] as (
          ...args: unknown[]
        ) => (...args: unknown[]) => unknown;
        make(...options)(target, key, descriptor);
      });
    };
  return decorator;
}

export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiConsumes = deferred('ApiConsumes');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiProduces = deferred('ApiProduces');
export const ApiProperty = deferred('ApiProperty');
export const ApiResponse = deferred('ApiResponse');
export const ApiTags = deferred('ApiTags');

/** Applies what was recorded so far through @nestjs/swagger (each decoration once). */
export function applyRecordedDocs(swagger: SwaggerExports): void {
  for (const apply of recorded.splice(0)) apply(swagger);
}
