import type { Provider } from '@nestjs/common';
import { JwtSettings } from './jwt.settings';
import { JwtVerifier } from './jwt-verifier';
import { RemoteKeyJwtVerifier } from './remote-key.jwt-verifier';
import { StaticKeyJwtVerifier } from './static-key.jwt-verifier';

/** The key source is chosen once, at boot: remote keys or the static key, never both. */
export const jwtVerifierProvider: Provider = {
  provide: JwtVerifier,
  inject: [JwtSettings],
  useFactory: (settings: JwtSettings): JwtVerifier =>
    settings.keys.source === 'remote'
      ? new RemoteKeyJwtVerifier(settings, settings.keys)
      : new StaticKeyJwtVerifier(settings, settings.keys),
};
