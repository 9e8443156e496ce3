import { defineChannelCheck } from './channel-check-definition';
import { defineStrategy } from './strategy-definition';

const define = (fields: Record<string, unknown>) => () =>
  defineStrategy({ authenticate: () => null, ...fields } as never);

describe('checkDefinitionShape, through defineStrategy and defineChannelCheck', () => {
  it.each(['', 'has space', 'Upper', '-lead', '9lives', 'a'.repeat(41)])(
    'refuses the name %j',
    (name) => {
      expect(define({ name })).toThrow(
        'name must be 1-40 characters of a-z 0-9 and -, starting with a letter',
      );
    },
  );

  it('accepts a name of 40 characters', () => {
    expect(define({ name: `a${'-'.repeat(39)}` })).not.toThrow();
  });

  // The message is one line of a start-up message: a pasted name must not flood or split it.
  it('quotes a bad name as JSON, cut', () => {
    expect(define({ name: 'two\nlines' })).toThrow('strategy "two\\nlines":');
    expect(define({ name: 'x'.repeat(5000) })).toThrow(
      `strategy "${'x'.repeat(48)}"…:`,
    );
  });

  it('refuses settings that are not a zod schema', () => {
    expect(define({ name: 'sso', settings: { SSO_URL: 'x' } })).toThrow(
      'strategy "sso": settings must be a zod schema',
    );
    expect(() =>
      defineChannelCheck({
        name: 'rooms',
        settings: {} as never,
        check: () => true,
      }),
    ).toThrow('channel-check "rooms": settings must be a zod schema');
  });
});
