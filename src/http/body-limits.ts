/**
 * Most fields a body (form fields, or a JSON body's top-level members) or a query string may
 * have. pusher-js sends a socket id, a channel name and a few `params`; the batching plugin sends
 * up to 100 `channel_name[i]` (CHANNEL_BATCH_MAX). Measured: 8 000 form fields cost about 200 ms of CPU
 * in parsing and validation (it grows faster than the field count), 4 000 about 75 ms; 128 cost
 * nothing noticeable. Checked on the raw text, before anything is parsed.
 */
export const MAX_FIELDS = 128;

/**
 * Deepest nesting of arrays and objects a JSON body may have. pusher-js sends flat fields; a
 * few thousand levels overflow the stack of the validation that walks the body (a 500).
 */
export const MAX_JSON_DEPTH = 16;

/**
 * Most values (object members and array elements, at any depth) a JSON body may hold.
 * Validation walks every one, even in a field it then drops: one field holding 30 000 numbers
 * cost about 26 ms of CPU against 4 ms for a whole normal sign-in.
 */
export const MAX_JSON_VALUES = 1024;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const AMPERSAND = 0x26;
const SPACE = 0x20;

/**
 * Why a JSON body is refused, or undefined. One pass over the text, outside strings: tracks the
 * nesting, counts the top-level members (commas at depth 1) and every member or element at any
 * depth (a container's first item, then one per comma). Malformed JSON is left to the parser.
 */
export function jsonBodyProblem(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  let topLevelCommas = 0;
  let items = 0;
  let awaitingFirstItem = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (awaitingFirstItem && code > SPACE) {
      awaitingFirstItem = false;
      if (
        code !== CLOSE_BRACE &&
        code !== CLOSE_BRACKET &&
        ++items > MAX_JSON_VALUES
      ) {
        return tooManyValues();
      }
    }
    switch (code) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (++depth > MAX_JSON_DEPTH) {
          return `body must not nest deeper than ${MAX_JSON_DEPTH} levels`;
        }
        awaitingFirstItem = true;
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth--;
        break;
      case COMMA:
        if (depth === 1 && ++topLevelCommas >= MAX_FIELDS) {
          return tooManyFields();
        }
        if (++items > MAX_JSON_VALUES) return tooManyValues();
        break;
    }
  }
  return undefined;
}

/** Why a form body is refused, or undefined. Counts `&` separators; parses nothing. */
export function formBodyProblem(text: string): string | undefined {
  return countFields(text, 0) > MAX_FIELDS ? tooManyFields() : undefined;
}

/** Why a URL's query string is refused (JSONP requests carry their fields there), or undefined. */
export function queryProblem(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  return countFields(url, start + 1) > MAX_FIELDS
    ? `query must have at most ${MAX_FIELDS} parameters`
    : undefined;
}

/** Non-empty `&`-separated parts of `text` from `from` on. */
function countFields(text: string, from: number): number {
  let fields = 0;
  let partStart = from;
  for (let i = from; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === AMPERSAND) {
      if (i > partStart) fields++;
      partStart = i + 1;
    }
  }
  return fields;
}

function tooManyValues(): string {
  return `body must hold at most ${MAX_JSON_VALUES} values`;
}

function tooManyFields(): string {
  return `body must have at most ${MAX_FIELDS} fields`;
}
