import { escapeForLog } from './log-escape';

/**
 * Longest text a log line carries for one value a caller chooses (a user id from a token, a user
 * agent, an address, a URL, a channel name). Longer values keep their first characters and say
 * how many were cut: `…[truncated 9744 chars]`. Valid user ids are at most 128 characters and
 * channel names 164, so nothing legitimate is cut; a validly signed token can still carry a
 * 10 KB `sub`, and one log line per request must not cost 10 KB.
 */
export const LOG_VALUE_MAX_CHARS = 256;

/**
 * A caller's value as a log field carries it: cut to `max`, then every unseen character
 * (controls, bidi overrides, line separators: see log-escape.ts) written as `\uXXXX`.
 */
export function truncateForLog(
  text: string,
  max: number = LOG_VALUE_MAX_CHARS,
): string {
  return escapeForLog(cut(text, max));
}

/**
 * A caller-chosen value quoted inside a message: cut, JSON-quoted, and its unseen characters
 * escaped as JSON escapes, so the quote is still a JSON string that reads back as the value.
 */
export function quoteForLog(text: string): string {
  return escapeForLog(JSON.stringify(cut(text, LOG_VALUE_MAX_CHARS)));
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: half of one is not text.
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…[truncated ${text.length - end} chars]`;
}
