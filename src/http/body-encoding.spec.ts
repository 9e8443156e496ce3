import { bodyEncodingProblem } from './body-encoding';

const COMPRESSED = 'body must not be compressed (Content-Encoding)';
const NOT_UTF8 = 'body must be UTF-8 (the charset of Content-Type)';

describe('bodyEncodingProblem', () => {
  it.each([
    ['no parameters', 'application/x-www-form-urlencoded'],
    ['charset=UTF-8', 'application/x-www-form-urlencoded; charset=UTF-8'],
    ['a quoted utf-8', 'application/json; charset="utf-8"'],
    ['utf8, spaced', 'application/json ; charset = utf8'],
    ['US-ASCII, a subset', 'application/json;charset=US-ASCII'],
    ['another parameter only', 'application/json; foo=bar'],
  ])('accepts %s', (_case, type) => {
    expect(bodyEncodingProblem({ 'content-type': type })).toBeUndefined();
  });

  it.each([
    ['UTF-16', 'application/json; charset=utf-16'],
    [
      'ISO-8859-1 after another parameter',
      'application/x-www-form-urlencoded; a=b; charset=ISO-8859-1',
    ],
    ['a quoted UTF-16LE', 'application/json; charset="UTF-16LE"'],
    ['an empty charset', 'application/json; charset='],
  ])('refuses %s', (_case, type) => {
    expect(bodyEncodingProblem({ 'content-type': type })).toBe(NOT_UTF8);
  });

  it.each(['gzip', 'deflate', 'br', ' GZIP ', 'identity, gzip'])(
    'refuses Content-Encoding %j',
    (coding) => {
      expect(
        bodyEncodingProblem({
          'content-type': 'application/json',
          'content-encoding': coding,
        }),
      ).toBe(COMPRESSED);
    },
  );

  it.each(['identity', 'Identity', ''])(
    'accepts Content-Encoding %j: nothing to undo',
    (coding) => {
      expect(
        bodyEncodingProblem({
          'content-type': 'application/json',
          'content-encoding': coding,
        }),
      ).toBeUndefined();
    },
  );

  it('names the header, never the value it was given', () => {
    const hostile = 'application/json; charset=<script>alert(1)</script>';
    const problem = bodyEncodingProblem({ 'content-type': hostile });
    expect(problem).toBe(NOT_UTF8);
    expect(problem).not.toContain('script');
  });
});
