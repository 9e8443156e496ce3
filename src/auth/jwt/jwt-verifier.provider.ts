import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JwtVerifier } from './jwt-verifier';
import { RemoteKeyJwtVerifier } from './remote-key.jwt-verifier';
import { StaticKeyJwtVerifier } from './static-key.jwt-verifier';

/** The key source is chosen once, at boot: remote keys or the static key, never both. */
export const jwtVerifierProvider: Provider = {
  provide: JwtVerifier,
  inject: [AppConfig],
  useFactory: (config: AppConfig): JwtVerifier =>
    config.jwt.remote
      ? new RemoteKeyJwtVerifier(config.jwt)
      : new StaticKeyJwtVerifier(config.jwt),
};
