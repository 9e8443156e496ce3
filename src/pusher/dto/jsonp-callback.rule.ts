import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '../../openapi/deferred-swagger';
import { ValidateBy } from 'class-validator';

/**
 * pusher-js's browser build names its callbacks `Pusher.auth_callbacks['N']`; plain dotted
 * identifiers are allowed for other clients. Anything else could inject script into our response.
 */
const JSONP_CALLBACK_PATTERN =
  /^(?:Pusher\.auth_callbacks\['\d{1,10}'\]|[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,7})$/;
const JSONP_CALLBACK_MAX_LENGTH = 256;

/** Checks an untrusted JSONP `callback`; problems never quote the value. */
export function checkCallback(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'callback must be a string';
  if (value.length > JSONP_CALLBACK_MAX_LENGTH) {
    return `callback must be at most ${JSONP_CALLBACK_MAX_LENGTH} characters`;
  }
  if (!JSONP_CALLBACK_PATTERN.test(value)) {
    return "callback must be Pusher.auth_callbacks['N'] or a dotted JavaScript identifier";
  }
  return undefined;
}

/** A DTO's `callback`: validated by checkCallback, documented with the same limits. */
export const IsJsonpCallback = () =>
  applyDecorators(
    ApiProperty({
      example: "Pusher.auth_callbacks['1']",
      pattern: JSONP_CALLBACK_PATTERN.source,
      maxLength: JSONP_CALLBACK_MAX_LENGTH,
    }),
    ValidateBy({
      name: 'isJsonpCallback',
      validator: {
        validate: (value) => checkCallback(value) === undefined,
        defaultMessage: (args) => checkCallback(args?.value) ?? '',
      },
    }),
  );
