import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { AppChannelAuthModule, AppUserAuthModule } from './app-routes.module';
import { ChannelAuthModule } from './channel-auth.module';
import { APP_PARAM } from './signing-app.hook';
import { SigningModule } from './signing.module';
import { UserAuthModule } from './user-auth.module';

/**
 * The endpoints pusher-js calls. Their paths are settings, so the controllers declare none:
 * RouterModule mounts each route module at its configured path. Another mount of the same
 * controllers is one more entry here: `/apps/{name}` + each path signs for the app named.
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
        AppUserAuthModule.register(signing, jsonpEnabled),
        AppChannelAuthModule.register(signing, jsonpEnabled),
        RouterModule.register([
          { path: userAuthPath, module: UserAuthModule },
          { path: channelAuthPath, module: ChannelAuthModule },
          {
            path: `apps/:${APP_PARAM}`,
            children: [
              { path: userAuthPath, module: AppUserAuthModule },
              { path: channelAuthPath, module: AppChannelAuthModule },
            ],
          },
        ]),
      ],
    };
  }
}
