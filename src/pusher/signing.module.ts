import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import type { AppConfig } from '../config/app-config';
import { DirectoryModule } from '../directory/directory.module';
import { ChannelAuthorizationService } from './channel-authorization.service';
import { signingAppsProvider } from './pusher-client.provider';
import { ConnectionTerminator } from './connection-terminator.service';
import { RevocationTerminator } from './revocation-terminator.service';
import { SessionTerminator } from './session-terminator.service';
import { UserSignInService } from './user-sign-in.service';

/**
 * What the pusher routes share: the Pusher client (it holds the secret), the two signing services
 * and the caller's identification. Built once and imported by each route module, so there is one
 * of each per application.
 */
@Module({})
export class SigningModule {
  static forRoot(config: AppConfig): DynamicModule {
    const auth = AuthModule.forRoot(config);
    return {
      module: SigningModule,
      imports: [auth, DirectoryModule, ChannelsModule],
      providers: [
        signingAppsProvider,
        UserSignInService,
        ChannelAuthorizationService,
        ConnectionTerminator,
        SessionTerminator,
        RevocationTerminator,
      ],
      exports: [
        auth,
        UserSignInService,
        ChannelAuthorizationService,
        signingAppsProvider,
      ],
    };
  }
}
