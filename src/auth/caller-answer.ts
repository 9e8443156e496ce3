import type { CallerIdentity } from './caller-identity';

/**
 * What a strategy's `authenticate` answered, as the identity the rest of the service reads, or
 * null for "not mine". Any other shape is the strategy's bug, thrown here as a TypeError so it is
 * answered like any other unexpected failure (logged, 503): a number or an object as the id would
 * otherwise reach the directory and the signer, and fail there as a 500. The claims are copied
 * here too, so that a getter that throws fails the strategy now, not the sign-in later.
 */
export function callerIdentityOf(
  answer: unknown,
  strategy: string,
): CallerIdentity | null {
  // `undefined` (a function that fell off its end) and Passport's `false` decline like null.
  if (answer === null || answer === undefined || answer === false) return null;
  if (typeof answer !== 'object' || Array.isArray(answer)) {
    throw new TypeError(
      `answered ${describe(answer)}: expected { id, claims? } or null`,
    );
  }
  const { id, claims } = answer as { id?: unknown; claims?: unknown };
  if (typeof id !== 'string') {
    throw new TypeError(`answered an id that is ${describe(id)}, not a string`);
  }
  if (
    claims !== undefined &&
    (typeof claims !== 'object' || claims === null || Array.isArray(claims))
  ) {
    throw new TypeError(
      `answered claims that are ${describe(claims)}, not an object`,
    );
  }
  return { id, claims: claims ? { ...claims } : {}, strategy };
}

/** The kind of a value, never the value itself: it may be a credential. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}
