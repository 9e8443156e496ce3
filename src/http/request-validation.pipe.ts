import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidRequestError } from './invalid-request.error';

/**
 * Nest's ValidationPipe for the DTOs, answering through the error table like every other 400.
 * Extra pusher-js `params` are accepted and dropped, not refused; each field reports its first
 * failure only, and never its value.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    });
  }

  override createExceptionFactory() {
    return (errors: ValidationError[] = []) =>
      new InvalidRequestError(this.flattenValidationErrors(errors));
  }
}
