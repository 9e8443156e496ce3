import { z } from 'zod';
import { integer, optionalText } from '../../plugin/settings';

/** The `signed-header` strategy's variables. */
export const SIGNED_HEADER_SCHEMA = z.object({
  /** Shared with the gateway, at least 32 bytes. Required. */
  SIGNED_HEADER_SECRET: optionalText,
  /** How far a timestamp may be from now, either way, in seconds. @default 60 */
  SIGNED_HEADER_MAX_AGE_S: integer(60, 1, 3600),
});

export type SignedHeaderVariables = z.output<typeof SIGNED_HEADER_SCHEMA>;

export function signedHeaderProblems(vars: SignedHeaderVariables): string[] {
  const secret = vars.SIGNED_HEADER_SECRET;
  return !secret || Buffer.byteLength(secret) < 32
    ? [
        'SIGNED_HEADER_SECRET must be set, at least 32 bytes, for the signed-header strategy',
      ]
    : [];
}
