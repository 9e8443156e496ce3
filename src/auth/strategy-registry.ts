import type { Type } from '@nestjs/common';
import { JwtStrategy } from './strategies/jwt.strategy';
import { JWT_STRATEGY } from './strategy-names';

/** One entry per shipped strategy; the config refuses names missing here. */
export const STRATEGY_PROVIDERS: Readonly<Record<string, Type<unknown>>> = {
  [JWT_STRATEGY]: JwtStrategy,
};
