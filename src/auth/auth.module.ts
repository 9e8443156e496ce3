import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '../config/app-config';
import { CallerGuard } from './caller.guard';
import type { StrategyDefinition } from './strategy-definition';
import { STRATEGY_DEFINITIONS } from './strategy-registry';

@Module({})
export class AuthModule {
  /**
   * Registers exactly the strategies `AUTH_STRATEGIES` names: Passport answers 500 for a name
   * that was never registered, and an unlisted strategy must never be reachable.
   */
  static forRoot(config: AppConfig): DynamicModule {
    const enabled = config.strategies.map((name) =>
      STRATEGY_DEFINITIONS.find((definition) => definition.name === name)!,
    );
    return {
      module: AuthModule,
      imports: [
        PassportModule.register({
          defaultStrategy: [...config.strategies],
          session: false,
        }),
      ],
      providers: [
        ...enabled.flatMap((definition) => providersOf(definition, config)),
        CallerGuard,
      ],
      exports: [PassportModule, CallerGuard],
    };
  }
}

/** The strategy, its helpers, and its validated settings under their class. */
function providersOf(
  definition: StrategyDefinition,
  config: AppConfig,
): Provider[] {
  return [
    definition.strategy,
    {
      provide: definition.settings.token,
      useValue: config.strategySettings.get(definition.name),
    },
    ...(definition.providers ?? []),
  ];
}
