import {
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DEMO_USERS } from '../config/demo-mode';
import { openUserDirectory } from './backends/open-user-directory';
import { UserDirectory } from './user-directory';
import { UserLookupService } from './user-lookup.service';

@Module({
  providers: [
    {
      // The backend is chosen once, here, from the validated DIRECTORY_URL.
      provide: UserDirectory,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        openUserDirectory(config.directory.url),
    },
    UserLookupService,
  ],
  exports: [UserDirectory, UserLookupService],
})
export class DirectoryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DirectoryModule.name);

  constructor(
    private readonly directory: UserDirectory,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.directory.migrate();
    if (this.config.demo.enabled) {
      for (const user of DEMO_USERS) await this.directory.upsertUser(user);
      this.logger.warn(
        `demo users loaded: ${DEMO_USERS.map((user) => user.id).join(', ')}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.directory.close();
  }
}
