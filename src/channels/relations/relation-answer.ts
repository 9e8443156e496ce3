import { decodeJsonText } from '../../directory/stored-json';

/** A relation's answer: allowed (maybe with the presence member's `user_info`) or not. */
export type RelationAnswer =
  { allowed: true; userInfo?: Record<string, unknown> } | { allowed: false };

/** `user_info` as a relation hands it over (a JSON object, or JSON text): anything else is none. */
export function userInfoIn(
  value: unknown,
): Record<string, unknown> | undefined {
  // Text that does not parse stays text, which is no object: none.
  const decoded = decodeJsonText(value);
  return typeof decoded === 'object' &&
    decoded !== null &&
    !Array.isArray(decoded)
    ? (decoded as Record<string, unknown>)
    : undefined;
}
