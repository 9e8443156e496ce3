import { configProblemsOf } from '../../../test/helpers/service-config';

describe('signed-header settings (the extension example)', () => {
  it('requires a secret of at least 32 bytes', () => {
    expect(
      configProblemsOf({
        JWT_SECRET: 'x'.repeat(32),
        AUTH_STRATEGIES: 'jwt,signed-header',
        SIGNED_HEADER_SECRET: 'short',
      }),
    ).toEqual([
      'SIGNED_HEADER_SECRET must be set, at least 32 bytes, for the signed-header strategy',
    ]);
  });
});
