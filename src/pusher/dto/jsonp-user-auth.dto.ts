import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { UserAuthDto } from './user-auth.dto';

/**
 * pusher-js's browser build names its callbacks `Pusher.auth_callbacks['N']`; plain dotted
 * identifiers are allowed for other clients. Anything else could inject script into our response.
 */
export const JSONP_CALLBACK_PATTERN =
  /^(?:Pusher\.auth_callbacks\['\d{1,10}'\]|[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,7})$/;

/** The query of pusher-js's `transport: 'jsonp'` sign-in. */
export class JsonpUserAuthDto extends UserAuthDto {
  @ApiProperty({
    example: "Pusher.auth_callbacks['1']",
    pattern: JSONP_CALLBACK_PATTERN.source,
    maxLength: 256,
  })
  @Matches(JSONP_CALLBACK_PATTERN, {
    message:
      "callback must be Pusher.auth_callbacks['N'] or a dotted JavaScript identifier",
  })
  @MaxLength(256, { message: 'callback must be at most 256 characters' })
  @IsString({ message: 'callback must be a string' })
  callback!: string;
}
