import { DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '../config/app-config';
import { CallerGuard } from './caller.guard';
import { strategyProvider } from './definition.strategy';

@Module({})
export class AuthModule {
  /**
   * Registers exactly the strategies `AUTH_STRATEGIES` names, shipped or from plugins alike:
   * Passport answers 500 for a name that was never registered, and an unlisted strategy must
   * never be reachable.
   */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        PassportModule.register({
          defaultStrategy: config.strategies.map(
            ({ definition }) => definition.name,
          ),
          session: false,
        }),
      ],
      providers: [...config.strategies.map(strategyProvider), CallerGuard],
      exports: [PassportModule, CallerGuard],
    };
  }
}
