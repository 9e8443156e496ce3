import { DynamicModule, Module } from '@nestjs/common';
import { ChannelAuthModule } from './channel-auth.module';
import { UserAuthModule } from './user-auth.module';

/*
 * The same controllers again, for `/apps/{name}/…`. RouterModule gives each module class one
 * path, so the app-scoped mount needs module classes of its own; the controllers and the one
 * SigningModule are shared, and resolveSigningApps reads the name from the path.
 */

/** The sign-in routes under `/apps/{name}`. */
@Module({})
export class AppUserAuthModule {
  static register(
    signing: DynamicModule,
    jsonpEnabled: boolean,
  ): DynamicModule {
    return {
      ...UserAuthModule.register(signing, jsonpEnabled),
      module: AppUserAuthModule,
    };
  }
}

/** The channel authorization routes under `/apps/{name}`. */
@Module({})
export class AppChannelAuthModule {
  static register(
    signing: DynamicModule,
    jsonpEnabled: boolean,
  ): DynamicModule {
    return {
      ...ChannelAuthModule.register(signing, jsonpEnabled),
      module: AppChannelAuthModule,
    };
  }
}
