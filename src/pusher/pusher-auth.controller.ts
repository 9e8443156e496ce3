import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Type,
  UseGuards,
} from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { CallerGuard } from '../auth/caller.guard';
import type { HttpConfig } from '../config/app-config';
import { DocumentJsonpSignIn, DocumentSignIn } from '../openapi/sign-in.docs';
import { UserThrottlerGuard } from '../rate-limit/user-throttler.guard';
import { JsonpUserAuthDto } from './dto/jsonp-user-auth.dto';
import { UserAuthDto } from './dto/user-auth.dto';
import { jsonpBody } from './jsonp';
import { UserAuthResponse, UserSignInService } from './user-sign-in.service';

const unrouted: MethodDecorator = () => undefined;

/**
 * The controller is built per application because its paths come from configuration
 * (`PUSHER_USER_AUTH_PATH`), and the JSONP route exists only when `JSONP_ENABLED` is set.
 */
export function createPusherAuthController(http: HttpConfig): Type<unknown> {
  @Controller()
  @UseGuards(CallerGuard, UserThrottlerGuard)
  class PusherAuthController {
    constructor(private readonly signIn: UserSignInService) {}

    /** pusher-js accepts exactly 200 (a Nest POST would answer 201). */
    @Post(http.userAuthPath)
    @DocumentSignIn()
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    signInUser(
      @Body() body: UserAuthDto,
      @Caller() caller: CallerIdentity,
    ): Promise<UserAuthResponse> {
      return this.signIn.signIn(body.socket_id, caller);
    }

    @(http.jsonpEnabled ? Get(http.userAuthPath) : unrouted)
    @DocumentJsonpSignIn()
    @Header('Cache-Control', 'no-store')
    @Header('Content-Type', 'application/javascript; charset=utf-8')
    @Header('X-Content-Type-Options', 'nosniff')
    // Loaded by a <script> on another site: same-origin would make the browser drop it.
    @Header('Cross-Origin-Resource-Policy', 'cross-origin')
    async signInUserJsonp(
      @Query() query: JsonpUserAuthDto,
      @Caller() caller: CallerIdentity,
    ): Promise<string> {
      const signed = await this.signIn.signIn(query.socket_id, caller);
      return jsonpBody(query.callback, signed);
    }
  }
  return PusherAuthController;
}
