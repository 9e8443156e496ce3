import {
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Type,
  UseGuards,
} from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { CallerGuard } from '../auth/caller.guard';
import type { HttpConfig } from '../config/app-config';
import {
  DocumentChannelAuth,
  DocumentJsonpChannelAuth,
} from '../openapi/channel-auth.docs';
import { UserThrottlerGuard } from '../rate-limit/user-throttler.guard';
import { ChannelRequest } from './channel-auth-request.decorator';
import { ChannelAuthRequestGuard } from './channel-auth-request.guard';
import {
  ChannelAuthorizationService,
  ChannelAuthResponse,
  ChannelBatchResponse,
} from './channel-authorization.service';
import type { ChannelAuthRequest } from './dto/channel-auth-request';
import { jsonpBody } from './jsonp';

const unrouted: MethodDecorator = () => undefined;

/**
 * Channel authorization for pusher-js subscriptions. Built per application because the path comes
 * from `PUSHER_CHANNEL_AUTH_PATH` and the JSONP route exists only with `JSONP_ENABLED`.
 * The request guard runs before the CallerGuard: a malformed request is a 400 for anyone.
 */
export function createChannelAuthController(http: HttpConfig): Type<unknown> {
  @Controller()
  @UseGuards(ChannelAuthRequestGuard, CallerGuard, UserThrottlerGuard)
  class ChannelAuthController {
    constructor(private readonly channels: ChannelAuthorizationService) {}

    /** pusher-js accepts exactly 200 (a Nest POST would answer 201). */
    @Post(http.channelAuthPath)
    @DocumentChannelAuth()
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    authorizeChannel(
      @ChannelRequest() request: ChannelAuthRequest,
      @Caller() caller: CallerIdentity,
    ): Promise<ChannelAuthResponse | ChannelBatchResponse> {
      return this.channels.authorize(request, caller);
    }

    /** JSONP authenticates only with the URL token (see isJsonpRequest). */
    @(http.jsonpEnabled ? Get(http.channelAuthPath) : unrouted)
    @DocumentJsonpChannelAuth()
    @Header('Cache-Control', 'no-store')
    @Header('Content-Type', 'application/javascript; charset=utf-8')
    @Header('X-Content-Type-Options', 'nosniff')
    // Loaded by a <script> on another site: same-origin would make the browser drop it.
    @Header('Cross-Origin-Resource-Policy', 'cross-origin')
    async authorizeChannelJsonp(
      @ChannelRequest() request: ChannelAuthRequest,
      @Caller() caller: CallerIdentity,
    ): Promise<string> {
      const answer = await this.channels.authorize(request, caller);
      return jsonpBody(request.callback as string, answer);
    }
  }
  return ChannelAuthController;
}
