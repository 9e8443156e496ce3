import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ErrorResponseFilter } from './common/error-response.filter';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { PusherModule } from './pusher/pusher.module';

@Module({})
export class AppModule {
  /** Built from a validated configuration, so tests run exactly what production runs. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), PusherModule.forRoot(config)],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            // Extra pusher-js `params` are accepted and dropped, not refused.
            whitelist: true,
            stopAtFirstError: true,
            validationError: { target: false, value: false },
          }),
        },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
      ],
    };
  }
}
