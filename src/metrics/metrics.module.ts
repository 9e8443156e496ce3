import { DynamicModule, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Module({})
export class MetricsModule {
  /** One Metrics (and Registry) per application, injectable everywhere. */
  static forRoot(): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: Metrics, useFactory: () => new Metrics() }],
      exports: [Metrics],
    };
  }
}
