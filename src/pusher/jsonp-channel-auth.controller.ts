import { Get } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { DocumentJsonpChannelAuth } from '../openapi/channel-auth.docs';
import { ChannelRequest } from './channel-auth-request.decorator';
import { ChannelReasons, type NoteChannelReason } from './channel-reasons';
import { ChannelAuthorizationService } from './channel-authorization.service';
import type { ChannelAuthRequest } from './dto/channel-auth-request';
import { jsonpBody } from './jsonp';
import { JsonpResponse } from './jsonp-response.decorator';
import { ChannelAuthRoutes } from './pusher-routes.decorator';
import { ForApp } from './signing-app.decorator';
import type { SigningApp } from './signing-apps';

/**
 * Channel authorization over JSONP, registered only with `JSONP_ENABLED`.
 * Authenticates only with the URL token (see isJsonpRequest).
 */
@ChannelAuthRoutes()
export class JsonpChannelAuthController {
  constructor(private readonly channels: ChannelAuthorizationService) {}

  @Get()
  @DocumentJsonpChannelAuth()
  @JsonpResponse()
  async authorizeChannelJsonp(
    @ChannelRequest() request: ChannelAuthRequest,
    @Caller() caller: CallerIdentity,
    @ForApp() app: SigningApp,
    @ChannelReasons() noteReason: NoteChannelReason,
  ): Promise<string> {
    const answer = await this.channels.authorize(
      request,
      caller,
      app,
      noteReason,
    );
    // The guard parsed the query with `jsonp: true`, which requires the callback.
    return jsonpBody(request.callback as string, answer);
  }
}
