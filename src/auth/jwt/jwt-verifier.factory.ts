import type { JwtSettings } from './jwt.settings';
import type { JwtVerifier } from './jwt-verifier';
import { RemoteKeyJwtVerifier } from './remote-key.jwt-verifier';
import { StaticKeyJwtVerifier } from './static-key.jwt-verifier';

/** The key source is chosen once, at boot: remote keys or the static key, never both. */
export function createJwtVerifier(settings: JwtSettings): JwtVerifier {
  return settings.keys.source === 'remote'
    ? new RemoteKeyJwtVerifier(settings, settings.keys)
    : new StaticKeyJwtVerifier(settings, settings.keys);
}
