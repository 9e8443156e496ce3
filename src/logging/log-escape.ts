/**
 * Characters that change how a line reads without being seen: C0 controls (terminal escapes, a
 * carriage return that overwrites the line), DEL, C1 controls, bidirectional controls (a
 * right-to-left override makes `"resu"` read as `"user"`), line and paragraph separators (a
 * line break to many viewers), and zero-width and other invisible format characters.
 * `JSON.stringify` escapes only C0, so a JSON log line carries the rest as they are.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSEEN =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
/** As UNSEEN, but line feed and tab stay. */
const UNSEEN_BUT_LINE_BREAKS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
/* eslint-enable no-control-regex */

const escapeOne = (char: string): string =>
  `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `text` with every unseen character written as `\uXXXX` (JSON's escape, so inside a JSON string
 * literal it still reads back as the character). `keepLineBreaks` keeps `\n` and `\t`, for our
 * own multi-line text (stack traces); a caller's value never keeps them.
 */
export function escapeForLog(text: string, keepLineBreaks = false): string {
  const pattern = keepLineBreaks ? UNSEEN_BUT_LINE_BREAKS : UNSEEN;
  // Most text has none: one scan, no copy.
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, escapeOne);
}
