import { Get, Query } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { DocumentJsonpSignIn } from '../openapi/sign-in.docs';
import { JsonpUserAuthDto } from './dto/jsonp-user-auth.dto';
import { jsonpBody } from './jsonp';
import { JsonpResponse } from './jsonp-response.decorator';
import { SignInRoutes } from './pusher-routes.decorator';
import { ForApp } from './signing-app.decorator';
import type { SigningApp } from './signing-apps';
import { UserSignInService } from './user-sign-in.service';

/**
 * pusher-js's `transport: 'jsonp'` sign-in, registered only with `JSONP_ENABLED`.
 * Authenticates only with the URL token (see isJsonpRequest).
 */
@SignInRoutes()
export class JsonpUserAuthController {
  constructor(private readonly signIn: UserSignInService) {}

  @Get()
  @DocumentJsonpSignIn()
  @JsonpResponse()
  async signInUserJsonp(
    @Query() query: JsonpUserAuthDto,
    @Caller() caller: CallerIdentity,
    @ForApp() app: SigningApp,
  ): Promise<string> {
    const signed = await this.signIn.signIn(query.socket_id, caller, app);
    return jsonpBody(query.callback, signed);
  }
}
