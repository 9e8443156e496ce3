import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import { DirectoryBackend } from '../directory/directory-backend';
import { DirectoryModule } from '../directory/directory.module';
import { ChannelAccessService } from './channel-access.service';
import { ChannelChecks, channelChecksProvider } from './channel-checks';
import { ChannelPolicy, policyRules } from './channel-policy.service';
import { Relations } from './relations/relations.service';

/** Who may join which channel; signing stays in the pusher module. */
@Module({
  imports: [DirectoryModule],
  providers: [
    ChannelAccessService,
    channelChecksProvider,
    {
      // Opened and checked once, at boot: a relation query the database refuses stops start-up.
      provide: Relations,
      inject: [AppConfig, ChannelChecks, DirectoryChangeFeed, DirectoryBackend],
      useFactory: (
        config: AppConfig,
        checks: ChannelChecks,
        changes: DirectoryChangeFeed,
        backend: DirectoryBackend,
      ) =>
        Relations.open(
          policyRules(config),
          config.channels,
          config.directory.url,
          checks,
          changes,
          config.userRules.userInfoMaxBytes,
          backend.sqlite,
        ),
    },
    ChannelPolicy,
  ],
  exports: [ChannelPolicy],
})
export class ChannelsModule {}
