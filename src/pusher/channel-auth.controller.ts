import { Header, HttpCode, Post } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { DocumentChannelAuth } from '../openapi/channel-auth.docs';
import { ChannelRequest } from './channel-auth-request.decorator';
import { ChannelReasons, type NoteChannelReason } from './channel-reasons';
import {
  ChannelAuthorizationService,
  ChannelAuthResponse,
  ChannelBatchResponse,
} from './channel-authorization.service';
import type { ChannelAuthRequest } from './dto/channel-auth-request';
import { ChannelAuthRoutes } from './pusher-routes.decorator';
import { ForApp } from './signing-app.decorator';
import type { SigningApp } from './signing-apps';

/** pusher-js's `channelAuthorization.endpoint`. */
@ChannelAuthRoutes()
export class ChannelAuthController {
  constructor(private readonly channels: ChannelAuthorizationService) {}

  /** pusher-js accepts exactly 200 (a Nest POST would answer 201). */
  @Post()
  @DocumentChannelAuth()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  authorizeChannel(
    @ChannelRequest() request: ChannelAuthRequest,
    @Caller() caller: CallerIdentity,
    @ForApp() app: SigningApp,
    @ChannelReasons() noteReason: NoteChannelReason,
  ): Promise<ChannelAuthResponse | ChannelBatchResponse> {
    return this.channels.authorize(request, caller, app, noteReason);
  }
}
