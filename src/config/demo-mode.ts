/**
 * Demo mode: what the service runs with when nothing is configured outside production.
 * Everything here is public, so a demo instance proves nothing about anyone's identity.
 */

/** soketi's default app, so a local soketi accepts what the demo signs. */
export const DEMO_PUSHER_APP = {
  PUSHER_APP_ID: 'app-id',
  PUSHER_KEY: 'app-key',
  PUSHER_SECRET: 'app-secret',
} as const;

export const DEMO_JWT_SECRET =
  'pusher-auth-demo-secret-known-to-everyone-never-use-in-production';

/**
 * Makes `private-encrypted-` channels work in the demo. Public like the rest: the channels it
 * "encrypts" are readable by anyone who has read this file.
 */
export const DEMO_ENCRYPTION_MASTER_KEY_BASE64 = Buffer.from(
  'pusher-auth-demo-master-key-0000',
).toString('base64');

/**
 * The development secret `.env.example` ships with, so that a copy of it starts as a working local
 * set-up. Public like the demo's, so production refuses it.
 */
export const EXAMPLE_JWT_SECRET =
  'local-development-secret-CHANGE-IN-PRODUCTION';

/** Settings whose presence means the operator is configuring the service for real. */
export const REAL_CONFIGURATION_KEYS = [
  'PUSHER_APP_ID',
  'PUSHER_KEY',
  'PUSHER_SECRET',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  // Choosing identity providers is configuring for real; demo users must not meet a real IdP.
  'AUTH_STRATEGIES',
  'JWT_JWKS_URI',
  'OIDC_ISSUER',
] as const;

/** Values that must never reach production, whatever the mode. */
export const PUBLIC_SECRETS: readonly string[] = [
  DEMO_PUSHER_APP.PUSHER_SECRET,
  DEMO_JWT_SECRET,
  DEMO_ENCRYPTION_MASTER_KEY_BASE64,
];

export interface DemoUser {
  id: string;
  userInfo: Record<string, unknown>;
  watchlist: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'alice', userInfo: { name: 'Alice' }, watchlist: ['bob', 'carol'] },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: ['alice'] },
  { id: 'carol', userInfo: { name: 'Carol' }, watchlist: [] },
];

/** Who may join which demo document's channel (`presence-doc-{doc}`), with their role there. */
export const DEMO_DOCUMENT_VIEWERS = [
  {
    docId: 'welcome',
    userId: 'alice',
    userInfo: { name: 'Alice', role: 'editor' },
  },
  {
    docId: 'welcome',
    userId: 'bob',
    userInfo: { name: 'Bob', role: 'viewer' },
  },
  {
    docId: 'roadmap',
    userId: 'carol',
    userInfo: { name: 'Carol', role: 'owner' },
  },
] as const;
