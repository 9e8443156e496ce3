'use strict';
// A peer doing the service's work the way an Express user would write it from passport-jwt's
// README: Express, passport-jwt checking the RS256 token against the public key, the user from a
// Map (403 when unknown), the socket id checked, the answer signed by the pusher library.
const express = require('express');
const passport = require('passport');
const { ExtractJwt, Strategy } = require('passport-jwt');
const Pusher = require('pusher');
const { directoryUsers } = require('./directory-users');

const users = directoryUsers();
const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'mt1', useTLS: true });

passport.use(
  new Strategy(
    { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] },
    (payload, done) => done(null, users.get(payload.sub) ?? false),
  ),
);

const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/pusher/user-auth', (req, res, next) => {
  passport.authenticate('jwt', { session: false }, (error, user) => {
    if (error) return next(error);
    if (!user) return res.status(403).json({ error: 'forbidden' });
    const socketId = req.body?.socket_id;
    if (typeof socketId !== 'string' || !/^\d+\.\d+$/.test(socketId)) return res.status(400).json({ error: 'invalid socket_id' });
    res.json(pusher.authenticateUser(socketId, user));
  })(req, res, next);
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
