'use strict';
// The Express + passport-jwt peer (express-passport-jwt.js) with what the service does on every
// request beside the check itself, each from the library an Express team would reach for and used
// as its README shows: helmet's headers; a request id echoed in X-Request-Id and one JSON line per
// request with the caller and the client's address (pino-http); request metrics by route, method
// and status (prom-client, a counter and a duration histogram); a rate limit per client address
// before the check and one per user after it (express-rate-limit, in memory). The bare peer prices
// the check; this one prices the same work (docs/performance.md, "What runs").
const { randomUUID } = require('node:crypto');
const express = require('express');
const { rateLimit } = require('express-rate-limit');
const helmet = require('helmet');
const passport = require('passport');
const { ExtractJwt, Strategy } = require('passport-jwt');
const pinoHttp = require('pino-http');
const client = require('prom-client');
const Pusher = require('pusher');
const { directoryUsers } = require('./directory-users');

const users = directoryUsers();
const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'mt1', useTLS: true });
const MINUTE_MS = 60_000;

passport.use(
  new Strategy(
    { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] },
    (payload, done) => done(null, users.get(payload.sub) ?? false),
  ),
);

const requests = new client.Counter({ name: 'http_requests_total', help: 'Requests answered', labelNames: ['route', 'method', 'status'] });
const duration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer', labelNames: ['route', 'method', 'status'] });

function measured(req, res, next) {
  const stop = duration.startTimer();
  res.on('finish', () => {
    const labels = { route: req.route?.path ?? 'unmatched', method: req.method, status: String(res.statusCode) };
    requests.inc(labels);
    stop(labels);
  });
  next();
}

const requestLog = pinoHttp({
  genReqId: (req, res) => {
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  },
  // The fields of the service's line, not pino-http's default dump of every header (the token).
  serializers: {
    req: (req) => ({ method: req.method, url: req.url, clientIp: req.raw.ip, userAgent: req.headers['user-agent'] }),
    res: (res) => ({ statusCode: res.statusCode }),
  },
  customSuccessObject: (req, _res, fields) => ({ ...fields, userId: req.user?.id }),
});

const authenticate = (req, res, next) =>
  passport.authenticate('jwt', { session: false }, (error, user) => {
    if (error) return next(error);
    if (!user) return res.status(403).json({ error: 'forbidden' });
    req.user = user;
    next();
  })(req, res, next);

const limited = (limit, keyGenerator) => rateLimit({ windowMs: MINUTE_MS, limit, standardHeaders: false, legacyHeaders: false, ...(keyGenerator && { keyGenerator }) });

const app = express();
// Behind the ingress, as the service is run: the client is the last address X-Forwarded-For names.
app.set('trust proxy', 'loopback');
app.use(helmet());
app.use(requestLog);
app.use(measured);
app.use(limited(Number(process.env.RATE_LIMIT_PER_IP ?? 600)));
app.use(express.urlencoded({ extended: false }));
app.post('/pusher/user-auth', authenticate, limited(Number(process.env.RATE_LIMIT_PER_USER ?? 120), (req) => req.user.id), (req, res) => {
  const socketId = req.body?.socket_id;
  if (typeof socketId !== 'string' || !/^\d+\.\d+$/.test(socketId)) return res.status(400).json({ error: 'invalid socket_id' });
  res.json(pusher.authenticateUser(socketId, req.user));
});
app.get('/metrics', async (_req, res) => {
  res.type(client.register.contentType).send(await client.register.metrics());
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
