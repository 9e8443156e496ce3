import { Logger } from '@nestjs/common';
import type { JwtConfig } from '../../config/jwt.config';
import { JwtVerifier } from './jwt-verifier';
import {
  Claims,
  createKeyVerifier,
  KeyVerifier,
  refusalCode,
} from './key-verifier';

/** Verifies with the key configured at boot; the key is parsed once. */
export class StaticKeyJwtVerifier extends JwtVerifier {
  private readonly logger = new Logger('JwtStrategy');
  private readonly check: KeyVerifier;

  constructor(jwt: JwtConfig) {
    super();
    if (!jwt.key) throw new Error('the jwt strategy was enabled without a key');
    this.check = createKeyVerifier(jwt, jwt.key.material, jwt.algorithms);
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
