import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { LocalHttpServer, sendJson } from './local-http-server';
import { signJwt } from './jwt';

export interface IdpKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  jwk: JsonWebKey & { kid: string };
}

export type IdpMode = 'up' | 'error' | 'slow';

/** RS256 keys unless told otherwise; generating RSA keys is slow, so tests reuse them. */
export function idpKey(
  kid: string,
  type: 'rsa' | 'ec' | 'ed25519' = 'rsa',
  jwkExtra: Record<string, unknown> = { alg: 'RS256', use: 'sig' },
): IdpKey {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const alg = type === 'rsa' ? 'RS256' : type === 'ec' ? 'ES256' : 'EdDSA';
  return {
    kid,
    alg,
    privateKey: pair.privateKey,
    jwk: {
      ...pair.publicKey.export({ format: 'jwk' }),
      kid,
      ...jwkExtra,
    },
  };
}

/**
 * A small OpenID provider on 127.0.0.1: serves discovery under its issuer path and a JWKS
 * whose keys the test rotates, counting every fetch. `mode` makes it fail or hang.
 */
export class FakeIdentityProvider {
  /** Published in the JWKS (rotate by assigning). */
  keys: IdpKey[] = [];
  mode: IdpMode = 'up';
  /** Overrides the issuer the discovery document names (to test a mismatch). */
  announcedIssuer?: string;
  /** Overrides the jwks_uri the discovery document names (to test keys from another origin). */
  announcedJwksUri?: string;

  private constructor(
    readonly server: LocalHttpServer,
    private readonly issuerPath: string,
    readonly jwksPath: string,
  ) {}

  /** `issuerPath` shapes the issuer: '/' (Auth0), '/realms/demo' (Keycloak), '/<tenant>/v2.0' (Entra). */
  static async start(
    issuerPath = '/realms/demo',
    jwksPath = '/keys/jwks.json',
  ): Promise<FakeIdentityProvider> {
    const server = await LocalHttpServer.start((request, response) => {
      if (idp.mode === 'slow') return; // never answers
      if (idp.mode === 'error') return sendJson(response, 500, {});
      if (request.path.endsWith('/.well-known/openid-configuration')) {
        return sendJson(response, 200, {
          issuer: idp.announcedIssuer ?? idp.issuer,
          jwks_uri: idp.announcedJwksUri ?? idp.jwksUri,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (request.path === idp.jwksPath) {
        return sendJson(response, 200, {
          keys: idp.keys.map((key) => key.jwk),
        });
      }
      sendJson(response, 404, {});
    });
    // The handler above runs only for requests, after this line.
    const idp = new FakeIdentityProvider(server, issuerPath, jwksPath);
    return idp;
  }

  get issuer(): string {
    return `${this.server.origin}${this.issuerPath}`;
  }

  get jwksUri(): string {
    return `${this.server.origin}${this.jwksPath}`;
  }

  get jwksFetches(): number {
    return this.server.count(this.jwksPath);
  }

  get discoveryFetches(): number {
    return this.server.received.filter((request) =>
      request.path.endsWith('/.well-known/openid-configuration'),
    ).length;
  }

  /** A token signed with `key`, its kid in the header (unless the header overrides it). */
  sign(
    key: IdpKey,
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
  ): string {
    return signJwt(key.alg, key.privateKey, claims, {
      kid: key.kid,
      ...header,
    });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
