import { escapeForLog } from './log-escape';

/** Every character class a caller could use to change how a log line reads. */
const UNSEEN = [
  ['NUL', '\u0000'],
  ['ESC (terminal escapes)', '\u001b'],
  ['carriage return', '\r'],
  ['line feed', '\n'],
  ['tab', '\t'],
  ['DEL', '\u007f'],
  ['C1 CSI', '\u009b'],
  ['soft hyphen', '\u00ad'],
  ['Arabic letter mark', '\u061c'],
  ['zero-width space', '\u200b'],
  ['zero-width joiner', '\u200d'],
  ['left-to-right mark', '\u200e'],
  ['right-to-left mark', '\u200f'],
  ['line separator', '\u2028'],
  ['paragraph separator', '\u2029'],
  ['left-to-right embedding', '\u202a'],
  ['right-to-left override', '\u202e'],
  ['word joiner', '\u2060'],
  ['right-to-left isolate', '\u2067'],
  ['pop directional isolate', '\u2069'],
  ['byte-order mark', '\ufeff'],
] as const;

describe('escapeForLog', () => {
  it.each(UNSEEN)('writes %s as a \\u escape', (_name, char) => {
    const escaped = escapeForLog(`a${char}b`);
    expect(escaped).toBe(
      `a\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}b`,
    );
    // Still readable back inside a JSON string literal.
    expect(JSON.parse(`"${escaped}"`)).toBe(`a${char}b`);
  });

  it('keeps line feeds and tabs when asked (our stack traces), and nothing else', () => {
    expect(escapeForLog('at a\n\tat b\r\u202e', true)).toBe(
      'at a\n\tat b\\u000d\\u202e',
    );
  });

  it('returns text without any as it is, visible non-ASCII included', () => {
    const text = 'Zoë 😀 日本 «» — ünïcode';
    expect(escapeForLog(text)).toBe(text);
  });

  it('is the same on every call (no state left in the pattern)', () => {
    for (let n = 0; n < 3; n++)
      expect(escapeForLog('x\u202ey')).toBe('x\\u202ey');
  });
});
