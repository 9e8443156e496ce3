import { IdentityProviderUnavailable } from './identity-provider-unavailable';

/**
 * `answer`, or IdentityProviderUnavailable once `ms` have passed without it: how the service
 * bounds an extension's answer. A value that is not a promise is returned as it is, with no timer.
 */
export function withinDeadline<T>(
  answer: T | Promise<T>,
  ms: number,
): T | Promise<T> {
  if (!(answer instanceof Promise)) return answer;
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
