import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { HealthModule } from './health/health.module';
import { ErrorResponseFilter } from './http/error-response.filter';
import { RequestValidationPipe } from './http/request-validation.pipe';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MetricsModule } from './metrics/metrics.module';
import { PusherModule } from './pusher/pusher.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

@Module({})
export class AppModule {
  /** Built from a validated configuration, so tests run exactly what production runs. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LifecycleModule,
        MetricsModule.forRoot(),
        RateLimitModule.forRoot(config),
        HealthModule,
        PusherModule.forRoot(config),
      ],
      providers: [
        { provide: APP_PIPE, useValue: new RequestValidationPipe() },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
      ],
    };
  }
}
