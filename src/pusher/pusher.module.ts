import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import type { AppConfig } from '../config/app-config';
import { DirectoryModule } from '../directory/directory.module';
import { createChannelAuthController } from './channel-auth.controller';
import { ChannelAuthorizationService } from './channel-authorization.service';
import { createPusherAuthController } from './pusher-auth.controller';
import { pusherClientProvider } from './pusher-client.provider';
import { SessionTerminator } from './session-terminator.service';
import { UserSignInService } from './user-sign-in.service';

@Module({})
export class PusherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PusherModule,
      imports: [AuthModule.forRoot(config), DirectoryModule, ChannelsModule],
      controllers: [
        createPusherAuthController(config.http),
        createChannelAuthController(config.http),
      ],
      providers: [
        pusherClientProvider,
        UserSignInService,
        ChannelAuthorizationService,
        SessionTerminator,
      ],
    };
  }
}
