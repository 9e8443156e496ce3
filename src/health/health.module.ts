import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DirectoryModule } from '../directory/directory.module';
import { DirectoryHealthIndicator } from './directory.health-indicator';
import { HealthController } from './health.controller';

@Module({
  // Terminus would log every failed probe (every few seconds during an outage);
  // the indicator logs each change of state once instead.
  imports: [TerminusModule.forRoot({ logger: false }), DirectoryModule],
  controllers: [HealthController],
  providers: [DirectoryHealthIndicator],
})
export class HealthModule {}
