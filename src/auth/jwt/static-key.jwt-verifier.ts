import { Logger } from '@nestjs/common';
import type { JwtSettings } from './jwt.settings';
import { JwtVerifier } from './jwt-verifier';
import {
  Claims,
  createKeyVerifier,
  KeyVerifier,
  refusalCode,
} from './key-verifier';
import type { StaticJwtKey } from './static-key.settings';

/** Verifies with the key configured at boot; the key is parsed once. */
export class StaticKeyJwtVerifier extends JwtVerifier {
  private readonly logger = new Logger('JwtStrategy');
  private readonly check: KeyVerifier;

  constructor(settings: JwtSettings, key: StaticJwtKey) {
    super();
    this.check = createKeyVerifier(settings, key.material, key.algorithms);
  }

  verify(token: string): Claims | null {
    try {
      return this.check(token);
    } catch (error) {
      // The code says why (expired, bad signature...) without quoting the token.
      this.logger.debug(`token refused: ${refusalCode(error)}`);
      return null;
    }
  }
}
