/**
 * What a failure says, for a log line, whatever was thrown: an Error's message, a string, an
 * object's `message`. Never throws itself (`String(Object.create(null))` would): it runs inside
 * the handler that keeps a plugin's failure from becoming a 500.
 */
export function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string') return message;
    return 'an object that is not an Error';
  }
  try {
    return String(error);
  } catch {
    return `a ${typeof error}`;
  }
}
