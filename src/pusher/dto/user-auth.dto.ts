import { Flat } from '../../http/flat-dto';
import { IsSocketId } from './socket-id.rule';

/** The body pusher-js sends to `userAuthentication.endpoint`; other `params` are ignored. */
@Flat()
export class UserAuthDto {
  @IsSocketId()
  socket_id!: string;
}
