/**
 * `user_info` as a driver hands it over: jsonb arrives parsed, JSON held in a text column (all of
 * SQLite's) arrives as a string. Text that does not parse is left as text: the user rules then
 * refuse it as "not a JSON object".
 */
export function decodeJsonText(stored: unknown): unknown {
  if (typeof stored !== 'string') return stored;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return stored;
  }
}
