const CLIENT_IP = Symbol('pusher-auth.clientIp');

type WithClientIp = { ip?: string; [CLIENT_IP]?: string };

/**
 * Fastify's `request.ip`, worked out once per request. Behind TRUST_PROXY it is a getter that
 * parses the whole `X-Forwarded-For` chain on every read (proxy-addr, ipaddr.js); the IP rate
 * limit and the request's log line both read it, which was 1.9% of a sign-in's CPU (main bench
 * row, Node 24).
 */
export function clientIpOf(request: object): string {
  const known = (request as WithClientIp)[CLIENT_IP];
  if (known !== undefined) return known;
  const ip = (request as WithClientIp).ip ?? '';
  (request as WithClientIp)[CLIENT_IP] = ip;
  return ip;
}
