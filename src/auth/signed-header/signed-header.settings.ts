import { z } from 'zod';
import { integer, optionalText } from '../../config/env.schema';
import {
  parseEnvSection,
  StrategySettings,
  StrategySettingsReader,
} from '../../config/strategy-settings';

/** Settings of the `signed-header` strategy, provided to it under this class. */
export class SignedHeaderSettings extends StrategySettings<SignedHeaderSettings> {
  /** `SIGNED_HEADER_SECRET`: shared with the gateway, at least 32 bytes. Required. */
  declare readonly secret: string;
  /** `SIGNED_HEADER_MAX_AGE_S`: how far a timestamp may be from now, either way. @default 60 */
  declare readonly maxAgeS: number;
}

const schema = z.object({
  SIGNED_HEADER_SECRET: optionalText,
  SIGNED_HEADER_MAX_AGE_S: integer(60, 1, 3600),
});

export const SIGNED_HEADER_SETTINGS: StrategySettingsReader<SignedHeaderSettings> =
  {
    token: SignedHeaderSettings,
    read(env, _shared, problems) {
      const vars = parseEnvSection(schema, env, problems);
      if (!vars) return undefined;
      const secret = vars.SIGNED_HEADER_SECRET;
      if (!secret || Buffer.byteLength(secret) < 32) {
        problems.push(
          'SIGNED_HEADER_SECRET must be set, at least 32 bytes, for the signed-header strategy',
        );
        return undefined;
      }
      return new SignedHeaderSettings({
        secret,
        maxAgeS: vars.SIGNED_HEADER_MAX_AGE_S,
      });
    },
  };
