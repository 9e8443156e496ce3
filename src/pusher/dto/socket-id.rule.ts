import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '../../openapi/deferred-swagger';
import { ValidateBy } from 'class-validator';

/** pusher-js socket ids: two decimal numbers joined by a dot. */
const SOCKET_ID_PATTERN = /^\d+\.\d+$/;
const SOCKET_ID_MAX_LENGTH = 64;

/**
 * One message for every bad socket id (missing, empty, not a string, an array, too long, another
 * shape): a client can only have sent something other than what pusher-js sends.
 */
export const SOCKET_ID_PROBLEM = 'socket_id must look like 1234.5678';

/** Checks an untrusted `socket_id`; the problem never quotes the value. */
export function checkSocketId(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length <= SOCKET_ID_MAX_LENGTH &&
    SOCKET_ID_PATTERN.test(value)
    ? undefined
    : SOCKET_ID_PROBLEM;
}

/** A DTO's `socket_id`: validated by checkSocketId, documented with the same limits. */
export const IsSocketId = () =>
  applyDecorators(
    ApiProperty({
      example: '1234.5678',
      pattern: SOCKET_ID_PATTERN.source,
      maxLength: SOCKET_ID_MAX_LENGTH,
    }),
    ValidateBy({
      name: 'isSocketId',
      validator: {
        validate: (value) => checkSocketId(value) === undefined,
        defaultMessage: () => SOCKET_ID_PROBLEM,
      },
    }),
  );
