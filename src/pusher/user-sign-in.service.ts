import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '../auth/caller-identity';
import { UserLookupService } from '../directory/user-lookup.service';
import type { SigningApp } from './signing-apps';

export interface UserAuthResponse {
  auth: string;
  user_data: string;
}

/** The one place a user sign-in is signed. */
@Injectable()
export class UserSignInService {
  constructor(private readonly users: UserLookupService) {}

  /** `socketId` has been validated by the DTO, so the library cannot throw on it. */
  async signIn(
    socketId: string,
    caller: CallerIdentity,
    app: SigningApp,
  ): Promise<UserAuthResponse> {
    const user = await this.users.lookup(caller.id, caller.claims);
    return app.pusher.authenticateUser(socketId, user);
  }
}
