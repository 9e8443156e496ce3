/** Who a strategy found the caller to be; attached to the request by the CallerGuard. */
export interface CallerIdentity {
  /** The user id the directory is asked about. */
  id: string;
  /** The claims (or attributes) the strategy saw; `DIRECTORY_UNKNOWN_USERS=claims` reads them. */
  claims: Record<string, unknown>;
  /** Name of the strategy that identified the caller. */
  strategy: string;
}

/** Ids travel as strings (pusher-js refuses numbers); integer ids from an IdP are converted. */
export function userIdFromClaim(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value))
    return String(value);
  return undefined;
}
