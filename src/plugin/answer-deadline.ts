import { IdentityProviderUnavailable } from './identity-provider-unavailable';

/**
 * `answer`, or IdentityProviderUnavailable once `ms` have passed without it: how the service
 * bounds an extension's answer. A value that is not a promise is returned as it is, with no timer.
 * Any thenable counts as a promise (a plugin's own promise library, an object with a `then`
 * that never calls back): `await` would wait on it just the same, without a deadline.
 */
export function withinDeadline<T>(
  answer: T | PromiseLike<T>,
  ms: number,
): T | Promise<T> {
  if (!isThenable(answer)) return answer;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new IdentityProviderUnavailable(`no answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  // Reading `then` may throw (a getter): that is the plugin's failure, thrown to its caller.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
