/**
 * Longest text a log line carries for one value a caller chooses (a user id from a token, a user
 * agent, an address, a URL, a channel name). Longer values keep their first characters and say
 * how many were cut: `…[truncated 9744 chars]`. Valid user ids are at most 128 characters and
 * channel names 164, so nothing legitimate is cut; a validly signed token can still carry a
 * 10 KB `sub`, and one log line per request must not cost 10 KB.
 */
export const LOG_VALUE_MAX_CHARS = 256;

export function truncateForLog(
  text: string,
  max: number = LOG_VALUE_MAX_CHARS,
): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: half of one is not text.
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…[truncated ${text.length - end} chars]`;
}

/** A caller-chosen value quoted inside a message: truncated, then JSON-quoted. */
export function quoteForLog(text: string): string {
  return JSON.stringify(truncateForLog(text));
}
