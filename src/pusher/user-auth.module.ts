import { DynamicModule, Module } from '@nestjs/common';
import { JsonpUserAuthController } from './jsonp-user-auth.controller';
import { UserAuthController } from './user-auth.controller';

/** The sign-in routes, at the path PusherModule mounts this module on. */
@Module({})
export class UserAuthModule {
  /** `signing`: the application's one SigningModule. The JSONP route exists only when enabled. */
  static register(
    signing: DynamicModule,
    jsonpEnabled: boolean,
  ): DynamicModule {
    return {
      module: UserAuthModule,
      imports: [signing],
      controllers: [
        UserAuthController,
        ...(jsonpEnabled ? [JsonpUserAuthController] : []),
      ],
    };
  }
}
