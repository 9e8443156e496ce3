import { isIP } from 'node:net';

/**
 * Fastify's `trustProxy`: false (the socket address is the client), true (trust every
 * X-Forwarded-For hop: only when nothing can reach the service but the load balancer), a hop
 * count, or the load balancers' addresses/CIDR ranges.
 */
export type TrustProxy = boolean | number | string[];

// "1" is deliberately not here: it is a hop count (trust the one proxy in front), as Docker
// Compose setups write it; read as true it would trust every hop and let a client pick its own
// address for the rate limiter.
const TRUE = ['true', 'yes'];
const FALSE = ['false', '0', 'no'];

export function parseTrustProxy(
  value: string | undefined,
  problems: string[],
): TrustProxy {
  if (value === undefined) return false;
  const text = value.trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  if (entries.length === 0 || invalid.length > 0) {
    problems.push(
      'TRUST_PROXY must be true, false, a hop count, or comma-separated proxy addresses/CIDR ranges',
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return (
    /^\d{1,3}$/.test(prefix) && bits >= 0 && bits <= (family === 4 ? 32 : 128)
  );
}

/** What Fastify's `trustProxy` option accepts. */
export type FastifyTrustProxy =
  boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * A hop count as the function proxy-addr compiles it to (trust the nearest `count` hops, the
 * socket's peer first). Fastify 5.12 turns a numeric `trustProxy` into "trust nothing", since a
 * count trusts whatever connects; like `true`, it is for a service only the load balancers reach.
 */
export function fastifyTrustProxy(trust: TrustProxy): FastifyTrustProxy {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
