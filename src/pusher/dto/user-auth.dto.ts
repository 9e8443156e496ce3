import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** pusher-js socket ids: two decimal numbers joined by a dot. */
export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;
export const SOCKET_ID_MAX_LENGTH = 64;

/**
 * The body pusher-js sends to `userAuthentication.endpoint`; other `params` are ignored.
 * class-validator runs decorators bottom-up and stops at the first failure: type, length, shape.
 */
export class UserAuthDto {
  @ApiProperty({
    example: '1234.5678',
    pattern: SOCKET_ID_PATTERN.source,
    maxLength: SOCKET_ID_MAX_LENGTH,
  })
  @Matches(SOCKET_ID_PATTERN, { message: 'socket_id must look like 1234.5678' })
  @MaxLength(SOCKET_ID_MAX_LENGTH, {
    message: `socket_id must be at most ${SOCKET_ID_MAX_LENGTH} characters`,
  })
  @IsString({ message: 'socket_id must be a string' })
  socket_id!: string;
}
