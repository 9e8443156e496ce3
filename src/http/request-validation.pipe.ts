import {
  ArgumentMetadata,
  Type,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { validate } from 'class-validator';
import { flatFieldsOf } from './flat-dto-fields';
import { InvalidRequestError } from './invalid-request.error';

/**
 * Nest's ValidationPipe for the DTOs, answering through the error table like every other 400.
 * Extra pusher-js `params` are accepted and dropped, not refused; each field reports its first
 * failure only, and never its value.
 *
 * A DTO of flat fields (see flat-dto-fields.ts) skips class-transformer: the instance gets only
 * the fields the DTO declares (what `whitelist` would keep) and class-validator checks it with the
 * same options. class-transformer's copy in, its copy back out and the pipe's scans of the value
 * were 3.6% of a sign-in's CPU for one string field (main bench row, Node 24).
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
    const fields = this.toValidate(metadata)
      ? flatFieldsOf(metadata.metatype as Type<object>)
      : undefined;
    // Anything but a plain object (nothing, an array, a string) keeps the library's handling.
    if (!fields || !isPlainObject(value)) {
      return super.transform(value, metadata);
    }
    return this.validateFlat(metadata.metatype as Type<object>, fields, value);
  }

  private async validateFlat(
    metatype: Type<object>,
    fields: readonly string[],
    value: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const entity = new metatype() as Record<string, unknown>;
    for (const field of fields) {
      if (Object.hasOwn(value, field)) entity[field] = value[field];
    }
    // class-validator itself, not the pipe's `validate`: Nest 12's pipe loads its copy of the
    // package asynchronously on its first transform, which this path may come before.
    const errors = await validate(entity, RequestValidationPipe.OPTIONS);
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    // A plain object, as the library's pipe returns when it does not transform.
    return { ...entity };
  }

  override createExceptionFactory() {
    return (errors: ValidationError[] = []) =>
      new InvalidRequestError(this.flattenValidationErrors(errors));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
