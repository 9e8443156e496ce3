/**
 * The JavaScript body of a JSONP answer. The callback was validated against
 * JSONP_CALLBACK_PATTERN; U+2028/2029 are escaped because older engines end a line at them.
 */
export function jsonpBody(callback: string, payload: unknown): string {
  const json = JSON.stringify(payload)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${callback}(${json});`;
}
