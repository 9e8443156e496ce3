import {
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DEMO_DOCUMENT_VIEWERS, DEMO_USERS } from '../config/demo-mode';
import { openDirectoryBackend } from './backends/open-directory-backend';
import { DirectoryChangeFeed } from './changes/directory-change-feed';
import { seedMissingDemoUsers } from './demo-seed';
import { DirectoryBackend } from './directory-backend';
import { RevocationLog } from './revocations/revocation-log';
import { UserDirectory } from './user-directory';
import { UserLookupService } from './user-lookup.service';

@Module({
  providers: [
    {
      // The backend is chosen once, here, from the validated DIRECTORY_* settings.
      provide: DirectoryBackend,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => openDirectoryBackend(config.directory),
    },
    {
      provide: UserDirectory,
      inject: [DirectoryBackend],
      useFactory: (backend: DirectoryBackend) => backend.directory,
    },
    {
      provide: DirectoryChangeFeed,
      inject: [DirectoryBackend],
      useFactory: (backend: DirectoryBackend) => backend.changes,
    },
    {
      provide: RevocationLog,
      inject: [DirectoryBackend],
      useFactory: (backend: DirectoryBackend) => backend.revocations,
    },
    UserLookupService,
  ],
  exports: [
    DirectoryBackend,
    UserDirectory,
    DirectoryChangeFeed,
    RevocationLog,
    UserLookupService,
  ],
})
export class DirectoryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DirectoryModule.name);

  constructor(
    private readonly backend: DirectoryBackend,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const { directory, changes, admin } = this.backend;
    await directory.migrate();
    // Your own tables (custom queries) are read-only to this service: no demo users there.
    if (this.config.demo.enabled && admin) {
      const created = await seedMissingDemoUsers(directory, admin, DEMO_USERS);
      await admin.ensureDemoDocuments(DEMO_DOCUMENT_VIEWERS);
      this.logger.warn(
        `demo users: ${DEMO_USERS.map((user) => user.id).join(', ')} (created now: ${created.join(', ') || 'none'}; existing ones are left as they are)`,
      );
    }
    await changes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backend.changes.close();
    await this.backend.directory.close();
  }
}
