import { DynamicModule, Module } from '@nestjs/common';
import { ChannelAuthController } from './channel-auth.controller';
import { JsonpChannelAuthController } from './jsonp-channel-auth.controller';

/** The channel authorization routes, at the path PusherModule mounts this module on. */
@Module({})
export class ChannelAuthModule {
  /** `signing`: the application's one SigningModule. The JSONP route exists only when enabled. */
  static register(
    signing: DynamicModule,
    jsonpEnabled: boolean,
  ): DynamicModule {
    return {
      module: ChannelAuthModule,
      imports: [signing],
      controllers: [
        ChannelAuthController,
        ...(jsonpEnabled ? [JsonpChannelAuthController] : []),
      ],
    };
  }
}
