import { IsSocketId } from './socket-id.rule';

/** The body pusher-js sends to `userAuthentication.endpoint`; other `params` are ignored. */
export class UserAuthDto {
  @IsSocketId()
  socket_id!: string;
}
