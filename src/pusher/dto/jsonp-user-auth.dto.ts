import { Flat } from '../../http/flat-dto';
import { IsJsonpCallback } from './jsonp-callback.rule';
import { UserAuthDto } from './user-auth.dto';

/** The query of pusher-js's `transport: 'jsonp'` sign-in. */
@Flat()
export class JsonpUserAuthDto extends UserAuthDto {
  @IsJsonpCallback()
  callback!: string;
}
