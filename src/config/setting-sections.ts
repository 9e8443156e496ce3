/**
 * The sections the service's settings are listed under, in the order docs/configuration.md and
 * .env.example list them; each setting names its section in its schema (env.schema.ts). Each
 * identity strategy's settings form a section of their own, after `identity`.
 */
export const SETTING_SECTIONS = [
  {
    id: 'production',
    title: 'Production',
  },
  {
    id: 'http',
    title: 'Listen address',
    intro:
      'Fixed limits (not settings): bodies of at most 64 KiB, 128 fields (form fields, JSON top-level members, JSONP query parameters), JSON nested at most 16 levels and holding at most 1024 values; past them 413 or 400.',
  },
  {
    id: 'pusher',
    title: 'Pusher app (required)',
    intro:
      "From your Pusher dashboard (App Keys), or your Pusher-compatible server. The example's are a local soketi's default app (`npx soketi start`). CHANGE IN PRODUCTION: PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET (app-secret is refused in production).",
  },
  { id: 'identity', title: 'Identity' },
  { id: 'directory', title: 'User directory' },
  { id: 'user-rules', title: 'Limits on the user object' },
  { id: 'channels', title: 'Channels' },
  { id: 'browser', title: 'Browser access' },
  {
    id: 'rate-limits',
    title: 'Rate limiting',
    intro:
      'Requests per minute per client address / per user; 0 turns a limit off. The address limit counts every request (failed sign-ins too); the user limit counts identified callers. Over the limit: 429 with Retry-After.',
  },
  {
    id: 'shutdown',
    title: 'Shutdown',
    intro:
      'On SIGTERM readiness turns 503 at once; the listener closes after SHUTDOWN_DELAY_MS (time for load balancers to notice), then in-flight requests have SHUTDOWN_TIMEOUT_MS to finish (exit 0) before the process exits anyway (exit 1); connections with no request in flight (idle, or a request still arriving) are closed, and requests arriving meanwhile get 503 with Retry-After.',
  },
  { id: 'logging', title: 'Logging' },
] as const satisfies readonly SettingSection[];

export interface SettingSection {
  readonly id: string;
  readonly title: string;
  /** What its settings share, said once before them. */
  readonly intro?: string;
}

export type SettingSectionId = (typeof SETTING_SECTIONS)[number]['id'];
