import Fastify from 'fastify';
import { fastifyTrustProxy, parseTrustProxy } from './trust-proxy';

/** The client address Fastify derives for a request from `peer` carrying `forwarded`. */
async function clientIp(
  trustProxy: string,
  peer: string,
  forwarded: string,
): Promise<string> {
  const fastify = Fastify({
    trustProxy: fastifyTrustProxy(parseTrustProxy(trustProxy, [])),
  });
  fastify.get('/', (request) => request.ip);
  const response = await fastify.inject({
    method: 'GET',
    url: '/',
    remoteAddress: peer,
    headers: { 'x-forwarded-for': forwarded },
  });
  await fastify.close();
  return response.body;
}

describe('TRUST_PROXY as Fastify applies it', () => {
  it.each([
    ['2', '192.0.2.1'],
    ['3', '203.0.113.5'],
    // "1" is one hop (the proxy in front), never "every hop": the hops before it are the client's to write.
    ['1', '198.51.100.7'],
    ['true', '203.0.113.5'],
    ['false', '10.0.0.9'],
    ['10.0.0.9', '198.51.100.7'],
    ['10.0.0.0/8, 198.51.100.7', '192.0.2.1'],
  ])('with %s, the client is %s', async (setting, expected) => {
    await expect(
      clientIp(setting, '10.0.0.9', '203.0.113.5, 192.0.2.1, 198.51.100.7'),
    ).resolves.toBe(expected);
  });
});
