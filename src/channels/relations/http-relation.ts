import { IdentityProviderUnavailable } from '../../plugin/identity-provider-unavailable';
import type { RelationAnswer } from './relation-answer';
import { userInfoIn } from './relation-answer';

/** Larger than any answer a permission endpoint needs to give. */
export const MAX_HTTP_RELATION_ANSWER_BYTES = 64 * 1024;

/** What the service posts to your app for one channel. */
export interface HttpRelationQuestion {
  user: string;
  channel: string;
  captures: Readonly<Record<string, string>>;
  app: string;
}

/**
 * Asks your app: POST `{ user, channel, captures, app }` as JSON. 200 allows (a JSON body may
 * carry `user_info` for the presence member), 403 and 404 deny; anything else, a redirect (never
 * followed: only the configured origin is ever called), an answer over 64 KiB, or no answer
 * within the timeout is unavailable: 503 for that channel, never a signature.
 */
export async function askHttpRelation(
  url: string,
  timeoutMs: number,
  question: HttpRelationQuestion,
): Promise<RelationAnswer> {
  const unavailable = (reason: string) =>
    new IdentityProviderUnavailable(`${new URL(url).origin}: ${reason}`);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(question),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw unavailable(
      signal.aborted
        ? `no answer within ${timeoutMs} ms`
        : `unreachable (${causeOf(error)})`,
    );
  }
  const { status } = response;
  if (status === 403 || status === 404) {
    await response.body?.cancel();
    return { allowed: false };
  }
  if (status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw unavailable(`answered ${status}`);
  }
  const text = await readCapped(response, signal).catch((error: Error) => {
    throw unavailable(error.message);
  });
  return { allowed: true, userInfo: userInfoIn(parsed(text)) };
}

async function readCapped(
  response: Response,
  signal: AbortSignal,
): Promise<string> {
  const reader = response.body?.getReader() as
    ReadableStreamDefaultReader<Uint8Array> | undefined;
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw new Error('no answer within the timeout');
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HTTP_RELATION_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(
        `answer larger than ${MAX_HTTP_RELATION_ANSWER_BYTES} bytes`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parsed(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return (JSON.parse(text) as { user_info?: unknown } | null)?.user_info;
  } catch {
    return undefined;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}
