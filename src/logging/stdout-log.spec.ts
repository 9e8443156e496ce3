import { chosenLogFormat } from './stdout-log';

describe('LOG_FORMAT', () => {
  it.each([
    // format, stdout a terminal, production, chosen
    ['auto', true, false, 'pretty'],
    ['auto', false, false, 'json'],
    ['auto', true, true, 'json'],
    ['auto', false, true, 'json'],
    ['json', true, false, 'json'],
    ['pretty', false, true, 'pretty'],
  ] as const)(
    '%s with a terminal %s and production %s: %s',
    (format, terminal, production, chosen) => {
      expect(chosenLogFormat(format, terminal, production)).toBe(chosen);
    },
  );
});
