import { DirectoryUnavailableError } from './directory/directory.errors';

/** A one-line reason for a failed start, without connection strings or credentials. */
export function describeStartupError(error: unknown): string {
  const root = error instanceof DirectoryUnavailableError ? error.cause : error;
  const message = root instanceof Error ? root.message : String(root);
  const code = (root as { code?: unknown } | undefined)?.code;
  const reason =
    typeof code === 'string' && !message.includes(code)
      ? `${message} (${code})`
      : message;
  return error instanceof DirectoryUnavailableError || isConnectionError(code)
    ? `the user directory (DIRECTORY_URL) is unreachable: ${reason}`
    : reason;
}

function isConnectionError(code: unknown): boolean {
  return (
    typeof code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(code)
  );
}
