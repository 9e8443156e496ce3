import { z } from 'zod';
import { documented } from '../../plugin/setting-doc';
import { integer, optionalText } from '../../plugin/settings';

/** The `signed-header` strategy's variables. */
export const SIGNED_HEADER_SCHEMA = z.object({
  SIGNED_HEADER_SECRET: documented(optionalText, {
    description:
      'Required with AUTH_STRATEGIES=...,signed-header: the HMAC secret shared with the gateway.',
    default: 'none (required)',
    values: 'at least 32 bytes',
    secret: true,
  }),
  SIGNED_HEADER_MAX_AGE_S: documented(integer(60, 1, 3600), {
    description:
      'How far X-Gateway-Timestamp may be from now, either way, in seconds.',
  }),
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
