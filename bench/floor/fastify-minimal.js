'use strict';
// A floor, not a product: Fastify answering the sign-in with the service's RS256 check (fast-jwt,
// the same key) and the pusher library's signature, nothing else (no Nest, logs, metrics, headers,
// validation, directory or limits). `node bench/ab.js 8 SERVICE=bench/floor/fastify-minimal.js`
// measures what that part of the stack costs on this machine (docs/performance.md, "Round five").
const { parse } = require('node:querystring');
const Fastify = require('fastify');
const { createVerifier } = require('fast-jwt');
const Pusher = require('pusher');

const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'mt1' });
const verify = createVerifier({ key: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] });
const app = Fastify({ trustProxy: '127.0.0.1' });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parse(body)));
app.post('/pusher/user-auth', (request, reply) => {
  let claims;
  try {
    claims = verify((request.headers.authorization ?? '').slice('Bearer '.length));
  } catch {
    return reply.code(403).send({ statusCode: 403, message: 'Forbidden' });
  }
  reply.header('cache-control', 'no-store');
  return pusher.authenticateUser(request.body.socket_id, { id: claims.sub, user_info: { name: claims.sub } });
});
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
