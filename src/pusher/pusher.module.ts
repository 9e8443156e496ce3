import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { ChannelAuthModule } from './channel-auth.module';
import { SigningModule } from './signing.module';
import { UserAuthModule } from './user-auth.module';

/**
 * The endpoints pusher-js calls. Their paths are settings, so the controllers declare none:
 * RouterModule mounts each route module at its configured path. Another mount of the same
 * controllers (a path prefix with a route parameter, say) is one more entry here.
 */
@Module({})
export class PusherModule {
  static forRoot(config: AppConfig): DynamicModule {
    const signing = SigningModule.forRoot(config);
    const { userAuthPath, channelAuthPath, jsonpEnabled } = config.http;
    return {
      module: PusherModule,
      imports: [
        UserAuthModule.register(signing, jsonpEnabled),
        ChannelAuthModule.register(signing, jsonpEnabled),
        RouterModule.register([
          { path: userAuthPath, module: UserAuthModule },
          { path: channelAuthPath, module: ChannelAuthModule },
        ]),
      ],
    };
  }
}
