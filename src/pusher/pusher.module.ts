import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import type { AppConfig } from '../config/app-config';
import { DirectoryModule } from '../directory/directory.module';
import { createPusherAuthController } from './pusher-auth.controller';
import { pusherClientProvider } from './pusher-client.provider';
import { SessionTerminator } from './session-terminator.service';
import { UserSignInService } from './user-sign-in.service';

@Module({})
export class PusherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PusherModule,
      imports: [AuthModule.forRoot(config), DirectoryModule],
      controllers: [createPusherAuthController(config.http)],
      providers: [pusherClientProvider, UserSignInService, SessionTerminator],
    };
  }
}
