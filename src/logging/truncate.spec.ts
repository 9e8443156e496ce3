import { LOG_VALUE_MAX_CHARS, quoteForLog, truncateForLog } from './truncate';

describe('truncateForLog', () => {
  it('keeps values up to the limit as they are', () => {
    const value = 'a'.repeat(LOG_VALUE_MAX_CHARS);
    expect(truncateForLog(value)).toBe(value);
  });

  it('keeps the start of a longer value and says how much was cut', () => {
    expect(truncateForLog('u'.repeat(10_000))).toBe(
      `${'u'.repeat(LOG_VALUE_MAX_CHARS)}…[truncated ${10_000 - LOG_VALUE_MAX_CHARS} chars]`,
    );
  });

  it('never cuts a surrogate pair in half', () => {
    const value = `${'a'.repeat(LOG_VALUE_MAX_CHARS - 1)}😀${'b'.repeat(10)}`;
    expect(truncateForLog(value)).toBe(
      `${'a'.repeat(LOG_VALUE_MAX_CHARS - 1)}…[truncated 12 chars]`,
    );
  });

  it('quotes a truncated value for a message', () => {
    expect(quoteForLog('x"y')).toBe('"x\\"y"');
    expect(quoteForLog('z'.repeat(300))).toBe(
      `"${'z'.repeat(LOG_VALUE_MAX_CHARS)}…[truncated 44 chars]"`,
    );
  });

  it('escapes controls, bidi overrides and line separators in a value', () => {
    expect(truncateForLog('ali\u202ecod\u2028x\u001b[31m\n')).toBe(
      'ali\\u202ecod\\u2028x\\u001b[31m\\u000a',
    );
  });

  it('quotes a value as a JSON string that reads back as the value, nothing unseen in it', () => {
    const value = 'a\u202eb\u2028c\u0085d\ne"';
    const quoted = quoteForLog(value);
    expect(quoted).toBe('"a\\u202eb\\u2028c\\u0085d\\ne\\""');
    expect(JSON.parse(quoted)).toBe(value);
  });
});
