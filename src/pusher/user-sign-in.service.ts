import { Injectable } from '@nestjs/common';
import Pusher from 'pusher';
import type { CallerIdentity } from '../auth/caller-identity';
import { UserLookupService } from '../directory/user-lookup.service';

export interface UserAuthResponse {
  auth: string;
  user_data: string;
}

/** The one place a user sign-in is signed. */
@Injectable()
export class UserSignInService {
  constructor(
    private readonly users: UserLookupService,
    private readonly pusher: Pusher,
  ) {}

  /** `socketId` has been validated by the DTO, so the library cannot throw on it. */
  async signIn(
    socketId: string,
    caller: CallerIdentity,
  ): Promise<UserAuthResponse> {
    const user = await this.users.lookup(caller.id, caller.claims);
    return this.pusher.authenticateUser(socketId, user);
  }
}
