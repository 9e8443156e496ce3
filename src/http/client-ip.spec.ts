import { clientIpOf } from './client-ip';

describe('clientIpOf', () => {
  it("reads Fastify's request.ip once per request, and each request's own", () => {
    let reads = 0;
    const requestFrom = (ip: string) => ({
      get ip() {
        reads++;
        return ip;
      },
    });
    const first = requestFrom('10.0.0.1');
    const second = requestFrom('2001:db8::1');
    expect(clientIpOf(first)).toBe('10.0.0.1');
    expect(clientIpOf(first)).toBe('10.0.0.1');
    expect(clientIpOf(second)).toBe('2001:db8::1');
    expect(reads).toBe(2);
  });

  it('answers an empty string when the socket has no address any more', () => {
    expect(clientIpOf({ ip: undefined })).toBe('');
    expect(clientIpOf({})).toBe('');
  });
});
