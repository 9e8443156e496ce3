import { Body, Header, HttpCode, Post } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { Caller } from '../auth/caller.decorator';
import { DocumentSignIn } from '../openapi/sign-in.docs';
import { UserAuthDto } from './dto/user-auth.dto';
import { SignInRoutes } from './pusher-routes.decorator';
import { ForApp } from './signing-app.decorator';
import type { SigningApp } from './signing-apps';
import { UserAuthResponse, UserSignInService } from './user-sign-in.service';

/** pusher-js's `userAuthentication.endpoint`. */
@SignInRoutes()
export class UserAuthController {
  constructor(private readonly signIn: UserSignInService) {}

  /** pusher-js accepts exactly 200 (a Nest POST would answer 201). */
  @Post()
  @DocumentSignIn()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  signInUser(
    @Body() body: UserAuthDto,
    @Caller() caller: CallerIdentity,
    @ForApp() app: SigningApp,
  ): Promise<UserAuthResponse> {
    return this.signIn.signIn(body.socket_id, caller, app);
  }
}
