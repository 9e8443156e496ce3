'use strict';
// The raw limit, not a product: node:http, the RS256 check with node:crypto on a key parsed once,
// users in a Map, the HMAC of Pusher's user sign-in computed directly. No framework, no
// validation beyond what signing needs, no logs, metrics, headers or limits: what the work itself
// costs on this runtime, the ceiling every other row is read against.
const { createHmac, createPublicKey, verify } = require('node:crypto');
const { createServer } = require('node:http');
const { directoryUsers } = require('./directory-users');

const users = directoryUsers();
const publicKey = createPublicKey(process.env.JWT_PUBLIC_KEY);
const { PUSHER_KEY, PUSHER_SECRET } = process.env;
const SOCKET_ID = /^\d+\.\d+$/;

/** The token's claims when its RS256 signature holds and it has not expired; otherwise null. */
function claimsOf(authorization) {
  if (!authorization?.startsWith('Bearer ')) return null;
  const [header, payload, signature] = authorization.slice(7).split('.');
  if (signature === undefined) return null;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url')).alg !== 'RS256') return null;
    if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : null;
  } catch {
    return null;
  }
}

function answer(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/pusher/user-auth') return answer(response, 404, '{"error":"not found"}');
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const claims = claimsOf(request.headers.authorization);
    const user = claims && users.get(claims.sub);
    if (!user) return answer(response, 403, '{"error":"forbidden"}');
    const socketId = new URLSearchParams(body).get('socket_id');
    if (!socketId || !SOCKET_ID.test(socketId)) return answer(response, 400, '{"error":"invalid socket_id"}');
    const userData = JSON.stringify(user);
    const signature = createHmac('sha256', PUSHER_SECRET).update(`${socketId}::user::${userData}`).digest('hex');
    answer(response, 200, JSON.stringify({ auth: `${PUSHER_KEY}:${signature}`, user_data: userData }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
