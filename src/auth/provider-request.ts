import { IdentityProviderUnavailableError } from './identity-provider-unavailable.error';

/** Larger than any key set, introspection or session answer; bounds what a broken IdP costs us. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface ProviderRequest {
  /** Names the provider in errors and logs, e.g. `jwt (https://idp.example.com/jwks)`. */
  provider: string;
  url: string;
  timeoutMs: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One call to an identity provider with Node's fetch. Unreachable, slower than `timeoutMs`
 * (body included), a 5xx, or an oversized answer → IdentityProviderUnavailableError; any other
 * status is the caller's to interpret. Redirects are not followed: a login redirect is an answer.
 */
export async function requestProvider(
  request: ProviderRequest,
): Promise<ProviderAnswer> {
  const unavailable = (reason: string) =>
    new IdentityProviderUnavailableError(request.provider, reason);
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetchOnce(request, signal).catch((error) => {
      // A pooled keep-alive connection the provider closed meanwhile: one fresh try, within
      // the same time limit. (Every call here only reads, so repeating one is harmless.)
      if (!isStaleConnection(error)) throw error;
      return fetchOnce(request, signal);
    });
    if (response.status >= 500) {
      await response.body?.cancel();
      throw unavailable(`answered ${response.status}`);
    }
    const body = await readBounded(response);
    if (body === undefined) {
      throw unavailable(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (error instanceof IdentityProviderUnavailableError) throw error;
    throw unavailable(describeFetchError(error, request.timeoutMs));
  }
}

function fetchOnce(
  request: ProviderRequest,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(request.url, {
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal,
  });
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

async function readBounded(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Library text about the network, never about the request's content. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const cause = (
    error as { cause?: { code?: unknown; message?: unknown; name?: unknown } }
  )?.cause;
  // Not `instanceof Error`: the DOMException from AbortSignal.timeout may come from another realm.
  if (
    (error as { name?: unknown })?.name === 'TimeoutError' ||
    cause?.name === 'TimeoutError'
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (typeof cause?.code === 'string') return `unreachable (${cause.code})`;
  if (typeof cause?.message === 'string')
    return `unreachable (${cause.message})`;
  return `unreachable (${error instanceof Error ? error.message : String(error)})`;
}

/** A JSON object answer, or undefined when the body is not one. */
export function parseJsonObject(
  body: string,
): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
