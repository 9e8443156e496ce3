/**
 * `bearer`: a Passport strategy from npm (passport-http-bearer) used as a pusher-auth strategy
 * with `definePassportStrategy`. The strategy reads the token (an `Authorization: Bearer` header,
 * or an `access_token` body or query field); its verify callback, yours, says whose it is.
 *
 * Here the tokens are listed in a setting; a real verify callback asks your session store or
 * database, and calls `done(error)` when that fails (the caller then gets 503, never a signature).
 *
 * Settings:
 *   BEARER_TOKENS  `<user id>:<token>` pairs, comma separated. Required. A secret: never logged.
 *
 * Run it (from the repository; passport-http-bearer is one of its devDependencies, install it
 * beside your own copy: `npm install passport-http-bearer`):
 *
 *   PLUGINS=./examples/plugins/bearer.passport-strategy.js AUTH_STRATEGIES=jwt,bearer \
 *     BEARER_TOKENS="alice:$(openssl rand -hex 32)" JWT_SECRET=… PUSHER_APP_ID=… … npm start
 *
 * With `jwt` first, a JWT is verified locally and an opaque token falls through to `bearer`.
 */
const { createHash, timingSafeEqual } = require('node:crypto');
const { Strategy: BearerStrategy } = require('passport-http-bearer');
const { definePassportStrategy, setting, z } = require('pusher-auth/plugin');

const digest = (text) => createHash('sha256').update(text).digest();

module.exports = definePassportStrategy({
  name: 'bearer',
  description: 'opaque bearer tokens, checked by passport-http-bearer',
  settings: z.object({ BEARER_TOKENS: setting.list() }),
  secrets: ['BEARER_TOKENS'],
  validate: (settings) =>
    settings.BEARER_TOKENS.every((entry) => /^[^:]+:.+$/.test(entry)) &&
    settings.BEARER_TOKENS.length > 0
      ? []
      : ['BEARER_TOKENS must list <user id>:<token> pairs, comma separated'],
  // Built once, at boot; Passport runs it on a fresh copy for every request.
  strategy: (settings) => {
    const tokens = settings.BEARER_TOKENS.map((entry) => {
      const colon = entry.indexOf(':');
      return {
        id: entry.slice(0, colon),
        digest: digest(entry.slice(colon + 1)),
      };
    });
    return new BearerStrategy((token, done) => {
      const presented = digest(token);
      // Every token compared in constant time, whichever matches.
      const found = tokens.filter((entry) =>
        timingSafeEqual(entry.digest, presented),
      );
      // `false`: not a token we know; Passport's fail(), which declines.
      done(null, found.length > 0 ? { id: found[0].id } : false);
    });
  },
  // What the verify callback passed to done(null, user).
  toCaller: (user) => ({ id: user.id }),
});
