import {
  ArgumentMetadata,
  Type,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { validate } from 'class-validator';
import { parse as parseQuery } from 'fast-querystring';
import { FlatDto } from './flat-dto';
import { InvalidRequestError } from './invalid-request.error';

/**
 * Nest's ValidationPipe for the DTOs, answering through the error table like every other 400.
 * Extra pusher-js `params` are accepted and dropped, not refused; each field reports its first
 * failure only, and never its value.
 *
 * A DTO declared `@Flat()` (see flat-dto.ts) skips class-transformer: the instance gets only the
 * fields the DTO declares (what `whitelist` would keep). When its rules pass, decided
 * synchronously from metadata read once, that instance is the answer; anything else is decided
 * by class-validator itself with the same options, refusals and their messages included. The
 * library's whole path costs 4-26% more CPU per sign-in (ab.js paired runs, Node 24).
 */
export class RequestValidationPipe extends ValidationPipe {
  private static readonly OPTIONS = {
    whitelist: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  };

  constructor() {
    super(RequestValidationPipe.OPTIONS);
  }

  override transform(value: unknown, metadata: ArgumentMetadata) {
    // What the library answers for what it does not validate (the caller and app parameters),
    // with `transform` off: the value as it is, without its async path.
    if (!metadata.metatype || !this.toValidate(metadata)) {
      return Promise.resolve(value);
    }
    const metatype = metadata.metatype as Type<object>;
    const dto = FlatDto.of(metatype);
    // Anything but a plain object (nothing, an array, a string) keeps the library's handling.
    if (!dto || !isPlainObject(value)) {
      return super.transform(value, metadata);
    }
    const entity = new metatype() as Record<string, unknown>;
    for (const field of dto.fields) {
      if (Object.hasOwn(value, field)) entity[field] = value[field];
    }
    // A plain object, as the library's pipe returns when it does not transform.
    return dto.accepts(entity)
      ? Promise.resolve({ ...entity })
      : this.validateFlat(entity);
  }

  /** class-validator itself, for whatever the synchronous check did not accept. */
  private async validateFlat(
    entity: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    // Not the pipe's `validate`: Nest 12's pipe loads its copy of the package asynchronously on
    // its first transform, which this path may come before.
    const errors = await validate(entity, RequestValidationPipe.OPTIONS);
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    return { ...entity };
  }

  override createExceptionFactory() {
    return (errors: ValidationError[] = []) =>
      new InvalidRequestError(this.flattenValidationErrors(errors));
  }
}

/**
 * Fastify's query objects and the form bodies (body-parsers.ts) come from fast-querystring, whose
 * objects all inherit from one empty object without a prototype: plain data, like the others.
 */
const PARSED_QUERY_PROTOTYPE = Object.getPrototypeOf(parseQuery('')) as unknown;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (
    prototype === Object.prototype ||
    prototype === null ||
    prototype === PARSED_QUERY_PROTOTYPE
  );
}
