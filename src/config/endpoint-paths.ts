/**
 * Paths the service routes itself: a custom endpoint path there would shadow them (or be shadowed),
 * so a request would be answered by another route than the one configured for it. `/apps/…` are
 * the several-apps routes: `/apps/web/pusher/auth` as a custom path would sign for the default app
 * with none of the `apps: [web]` rules applying.
 */
const RESERVED_PREFIXES = ['/apps', '/health', '/metrics', '/docs'];

/** Refuses endpoint paths that contradict the routes the service already has, or each other. */
export function checkEndpointPaths(
  paths: Record<'PUSHER_USER_AUTH_PATH' | 'PUSHER_CHANNEL_AUTH_PATH', string>,
  problems: string[],
): void {
  for (const [name, path] of Object.entries(paths)) {
    const segments = path.split('/').slice(1);
    if (segments.some((segment) => segment === '.' || segment === '..')) {
      problems.push(
        `${name}: must not contain . or .. segments (clients resolve them to another path)`,
      );
    } else if (path.length > 1 && segments.some((segment) => segment === '')) {
      problems.push(
        `${name}: must not contain empty segments (// or a trailing /)`,
      );
    }
    const lower = path.toLowerCase();
    const reserved = RESERVED_PREFIXES.find(
      (prefix) => lower === prefix || lower.startsWith(`${prefix}/`),
    );
    if (reserved) {
      problems.push(
        `${name}: ${reserved}/… is the service's own route; choose a path outside ${RESERVED_PREFIXES.join(', ')}`,
      );
    }
  }
  const { PUSHER_USER_AUTH_PATH: user, PUSHER_CHANNEL_AUTH_PATH: channel } =
    paths;
  if (user === channel) {
    problems.push(
      'PUSHER_CHANNEL_AUTH_PATH must differ from PUSHER_USER_AUTH_PATH',
    );
  }
}
