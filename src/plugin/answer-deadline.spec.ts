import { withinDeadline } from './answer-deadline';
import { IdentityProviderUnavailable } from './identity-provider-unavailable';

describe('withinDeadline', () => {
  it('returns a plain value as it is', () => {
    const caller = { id: 'alice' };
    expect(withinDeadline(caller, 10)).toBe(caller);
    expect(withinDeadline(null, 10)).toBeNull();
  });

  it('answers what a promise resolves to', async () => {
    await expect(withinDeadline(Promise.resolve('yes'), 50)).resolves.toBe(
      'yes',
    );
  });

  it('bounds a promise that never settles', async () => {
    await expect(
      withinDeadline(new Promise(() => undefined), 20),
    ).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });

  // A thenable that is not a native Promise: `await` would wait on it forever.
  it('bounds a thenable that never calls back', async () => {
    const never = { then: () => undefined } as unknown as PromiseLike<never>;
    await expect(
      Promise.resolve(withinDeadline(never, 20)),
    ).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });

  it('answers what a foreign thenable resolves to', async () => {
    const later = {
      then: (resolve: (v: string) => void) => resolve('later'),
    } as unknown as PromiseLike<string>;
    await expect(Promise.resolve(withinDeadline(later, 50))).resolves.toBe(
      'later',
    );
  });
});
