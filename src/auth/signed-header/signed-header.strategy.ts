import { secretSettingsOf } from '../../plugin/setting-doc';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidUserId } from '../../directory/user-rules';
import type { AuthRequest } from '../../plugin/auth-request';
import { defineStrategy } from '../../plugin/strategy-definition';
import {
  SIGNED_HEADER_SCHEMA,
  signedHeaderProblems,
  SignedHeaderVariables,
} from './signed-header.settings';

/**
 * `signed-header`: the caller was identified by a trusted gateway in front of this service,
 * which says so in three headers:
 *
 *   X-Gateway-User:      alice
 *   X-Gateway-Timestamp: 1767225600                 (Unix seconds)
 *   X-Gateway-Signature: hex(HMAC-SHA256(SIGNED_HEADER_SECRET, "<timestamp>.<user>"))
 *
 * Defined with the plugin API like any plugin; docs/plugins.md walks through it. Enable it with
 * `AUTH_STRATEGIES=signed-header` (or alongside others, e.g. `jwt,signed-header`).
 */
export const SIGNED_HEADER_STRATEGY = defineStrategy({
  name: 'signed-header',
  description:
    'a trusted gateway names the user in HMAC-signed X-Gateway-* headers',
  settings: SIGNED_HEADER_SCHEMA,
  secrets: secretSettingsOf(SIGNED_HEADER_SCHEMA),
  validate: signedHeaderProblems,
  authenticate: (request, vars) => gatewayUser(request, vars),
});

function gatewayUser(request: AuthRequest, vars: SignedHeaderVariables) {
  // A gateway that authenticates by cookie would turn a JSONP <script> into a CSRF hole.
  if (request.jsonp) return null;
  const user = request.headers['x-gateway-user'];
  const timestamp = request.headers['x-gateway-timestamp'];
  const signature = request.headers['x-gateway-signature'];
  if (!user || !timestamp || !signature) return null;
  if (!isValidUserId(user) || !/^\d{1,12}$/.test(timestamp)) return null;
  // A bounded age limits what a header captured between gateway and service is worth.
  const ageS = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (ageS > vars.SIGNED_HEADER_MAX_AGE_S) return null;
  if (!/^[0-9a-f]{64}$/i.test(signature)) return null;
  const expected = createHmac('sha256', vars.SIGNED_HEADER_SECRET!)
    .update(`${timestamp}.${user}`)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return null;
  return { id: user };
}
