import { FakeIdentityProvider, idpKey } from '../helpers/fake-idp';
import { claimsFor } from '../helpers/jwt';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';

/**
 * The token shapes of the identity providers docs/strategies.md documents, served by a local
 * IdP under the same issuer formats, with the settings the docs give for each.
 */
interface Shape {
  /** Path of the issuer under the IdP's origin. */
  issuerPath: string;
  /** Settings as docs/strategies.md gives them (`{issuer}`/`{jwks}` filled in). */
  env: (idp: FakeIdentityProvider) => Record<string, string>;
  /** Claims of a real token of this IdP, naming user `alice`. */
  claims: (idp: FakeIdentityProvider) => Record<string, unknown>;
  /** The same token for another application (must be refused). */
  otherApp: (idp: FakeIdentityProvider) => Record<string, unknown>;
  /** JWK members as the IdP publishes them. */
  jwk: Record<string, unknown>;
}

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';

const SHAPES: [string, Shape][] = [
  [
    'Auth0 (trailing-slash issuer, aud array, namespaced user claim)',
    {
      issuerPath: '/',
      env: (idp) => ({
        OIDC_ISSUER: idp.issuer,
        JWT_AUDIENCE: 'https://api.example.com',
        JWT_ALGORITHMS: 'RS256',
        JWT_USER_ID_CLAIM: 'https://example.com/user_id',
      }),
      claims: (idp) => ({
        iss: idp.issuer,
        sub: 'auth0|64f1c2d3e4b5a6978899aabb',
        aud: ['https://api.example.com', `${idp.issuer}userinfo`],
        azp: 'aBcDeFgHiJkLmNoP',
        scope: 'openid profile',
        'https://example.com/user_id': 'alice',
      }),
      otherApp: (idp) => ({
        iss: idp.issuer,
        aud: 'https://other-api.example.com',
        'https://example.com/user_id': 'alice',
      }),
      jwk: { use: 'sig', alg: 'RS256', x5t: 'abc' },
    },
  ],
  [
    'Keycloak (realm issuer, aud string, preferred_username)',
    {
      issuerPath: '/realms/demo',
      env: (idp) => ({
        OIDC_ISSUER: idp.issuer,
        JWT_AUDIENCE: 'pusher-auth',
        JWT_USER_ID_CLAIM: 'preferred_username',
      }),
      claims: (idp) => ({
        iss: idp.issuer,
        sub: 'f1b2c3d4-0000-4000-8000-000000000001',
        aud: 'pusher-auth',
        azp: 'web-app',
        typ: 'Bearer',
        preferred_username: 'alice',
        realm_access: { roles: ['user'] },
      }),
      otherApp: (idp) => ({
        iss: idp.issuer,
        aud: 'account',
        preferred_username: 'alice',
      }),
      jwk: { use: 'sig', alg: 'RS256' },
    },
  ],
  [
    'Amazon Cognito (pool issuer, access token with client_id and no aud)',
    {
      issuerPath: '/eu-west-1_AbCdEfGhI',
      env: (idp) => ({
        JWT_JWKS_URI: `${idp.issuer}/.well-known/jwks.json`,
        JWT_ISSUER: idp.issuer,
        JWT_AUDIENCE: '5r8u6vbp1c0example',
        JWT_AUDIENCE_CLAIM: 'client_id',
        JWT_USER_ID_CLAIM: 'username',
      }),
      claims: (idp) => ({
        iss: idp.issuer,
        sub: 'aaaabbbb-cccc-dddd-eeee-ffff00001111',
        client_id: '5r8u6vbp1c0example',
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        username: 'alice',
      }),
      otherApp: (idp) => ({
        iss: idp.issuer,
        client_id: 'another-app-client',
        token_use: 'access',
        username: 'alice',
      }),
      jwk: { use: 'sig', alg: 'RS256' },
    },
  ],
  [
    'Microsoft Entra ID (v2.0 tenant issuer, client-id aud, oid, keys without alg)',
    {
      issuerPath: `/${TENANT}/v2.0`,
      env: (idp) => ({
        OIDC_ISSUER: idp.issuer,
        JWT_AUDIENCE: CLIENT_ID,
        JWT_ALGORITHMS: 'RS256',
        JWT_USER_ID_CLAIM: 'oid',
      }),
      claims: (idp) => ({
        iss: idp.issuer,
        aud: CLIENT_ID,
        tid: TENANT,
        oid: 'alice',
        sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
        ver: '2.0',
        name: 'Alice',
      }),
      otherApp: (idp) => ({
        iss: idp.issuer.replace(TENANT, 'another-tenant'),
        aud: CLIENT_ID,
        oid: 'alice',
      }),
      jwk: { use: 'sig', x5t: 'nOo3ZDrODXEK1jKWhXslHR_KXEg' },
    },
  ],
];

describe.each(SHAPES)('jwt strategy with %s', (_name, shape) => {
  let idp: FakeIdentityProvider;
  let service: TestApp;
  const key = idpKey('signing-key-1', 'rsa', {});

  beforeAll(async () => {
    // Each publishes its JWKS beside its discovery document, as Cognito does.
    idp = await FakeIdentityProvider.start(
      shape.issuerPath,
      `${shape.issuerPath.replace(/\/$/, '')}/.well-known/jwks.json`,
    );
    key.jwk = { ...key.jwk, ...shape.jwk };
    idp.keys = [key, idpKey('signing-key-2', 'rsa', shape.jwk)];
    service = await startTestApp({
      JWT_SECRET: '',
      DIRECTORY_URL: 'sqlite://:memory:',
      ...shape.env(idp),
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(async () => {
    await service?.close();
    await idp?.stop();
  });

  const signIn = (claims: Record<string, unknown>) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${idp.sign(key, claimsFor(undefined, claims))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'socket_id=10.20',
    });

  it('signs in the user its token names', async () => {
    const response = await signIn(shape.claims(idp));
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({ id: 'alice' });
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '10.20', userData),
    );
  });

  it('refuses its token for another application or tenant', async () => {
    expect((await signIn(shape.otherApp(idp))).statusCode).toBe(403);
  });
});
