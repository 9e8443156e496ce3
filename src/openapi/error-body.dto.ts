import { ApiProperty } from './deferred-swagger';

/** The shape of every error answer (documentation only: the filter builds them). */
export class ErrorBodyDto {
  @ApiProperty({ example: 403 })
  statusCode!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Forbidden',
    description: 'A list naming the field for 400; never echoes the request',
  })
  message!: string | string[];

  @ApiProperty({ example: 'Forbidden' })
  error!: string;
}

export class UserAuthResponseDto {
  @ApiProperty({
    example: 'app-key:5f1c0e…',
    description:
      'PUSHER_KEY + ":" + hex HMAC-SHA256 of socket_id::user::user_data',
  })
  auth!: string;

  @ApiProperty({
    example: '{"id":"alice","user_info":{"name":"Alice"},"watchlist":["bob"]}',
    description: 'The signed user object as a JSON string',
  })
  user_data!: string;
}
