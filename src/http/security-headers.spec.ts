import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { HELMET_OPTIONS, helmetHeaders } from './security-headers';

describe('helmetHeaders', () => {
  it('holds the hardening headers the contract names', () => {
    const headers = helmetHeaders();
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'SAMEORIGIN',
      'Strict-Transport-Security': expect.stringMatching(/max-age=\d+/),
    });
    expect(headers['Content-Security-Policy']).toMatch(
      /frame-ancestors 'none'/,
    );
  });

  it('is exactly what helmet sets on a real answer with the same options', () => {
    const request = new IncomingMessage(new Socket());
    const answer = new ServerResponse(request);
    helmet(HELMET_OPTIONS)(request, answer, () => undefined);
    const expected = Object.fromEntries(
      answer
        .getHeaderNames()
        .map((name) => [name, String(answer.getHeader(name))]),
    );
    const lowerCased = Object.fromEntries(
      Object.entries(helmetHeaders()).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    );
    expect(lowerCased).toEqual(expected);
  });
});
