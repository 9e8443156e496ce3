import type { IncomingHttpHeaders } from 'node:http';

/** The character sets a body may declare: it is read as UTF-8, and US-ASCII is a subset of it. */
const READABLE_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** `charset=…` among a Content-Type's parameters, quoted or not. */
const CHARSET_PARAMETER = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/**
 * Why a body's declared encoding is refused, or undefined. Fastify reads every body as UTF-8 text
 * and never decompresses: a gzip body, or a UTF-16 one, would be read as something its client did
 * not send. The answer names the header, never its value.
 */
export function bodyEncodingProblem(
  headers: IncomingHttpHeaders,
): string | undefined {
  const coding = headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    return 'body must not be compressed (Content-Encoding)';
  }
  const type = headers['content-type'];
  // Most clients (pusher-js among them) send no parameters: no pattern to run.
  if (type === undefined || !type.includes(';')) return undefined;
  const match = CHARSET_PARAMETER.exec(type);
  const charset = (match?.[1] ?? match?.[2])?.toLowerCase();
  if (charset !== undefined && !READABLE_CHARSETS.has(charset)) {
    return 'body must be UTF-8 (the charset of Content-Type)';
  }
  return undefined;
}
