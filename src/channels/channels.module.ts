import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { ChannelAccessService } from './channel-access.service';
import { channelChecksProvider } from './channel-checks';
import { ChannelPolicy } from './channel-policy.service';

/** Who may join which channel; signing stays in the pusher module. */
@Module({
  imports: [DirectoryModule],
  providers: [ChannelAccessService, channelChecksProvider, ChannelPolicy],
  exports: [ChannelPolicy],
})
export class ChannelsModule {}
