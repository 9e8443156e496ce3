/**
 * `api-key`: a strategy written with `defineStrategy`. Each user has a static key, sent by a
 * server or a trusted client in a header:
 *
 *   X-API-Key: 3f0c…   (the key listed for that user in API_KEYS)
 *
 * Settings:
 *   API_KEYS        `<user id>:<key>` pairs, comma separated; each key at least 32 characters
 *                   (`openssl rand -hex 32`). Required. A secret: never logged.
 *   API_KEY_HEADER  the header carrying the key. @default x-api-key
 *
 * Run it (from the repository, where `require('pusher-auth/plugin')` resolves to the package
 * itself):
 *
 *   npm run build
 *   PLUGINS=./examples/plugins/api-key.strategy.js AUTH_STRATEGIES=api-key,jwt \
 *     API_KEYS="alice:$(openssl rand -hex 32)" JWT_SECRET=… PUSHER_APP_ID=… … npm start
 *
 * docs/plugins.md explains every field; examples/plugins/README.md lists the other examples.
 */
const { createHash, timingSafeEqual } = require('node:crypto');
const { defineStrategy, setting, z } = require('pusher-auth/plugin');

const MIN_KEY_LENGTH = 32;

/** The same length whatever was presented: the comparison below takes the same time for all. */
const digest = (text) => createHash('sha256').update(text).digest();

/** `alice:key` → { id, key }; undefined when the entry has no id or no key. */
function parseEntry(entry) {
  const colon = entry.indexOf(':');
  if (colon <= 0 || colon === entry.length - 1) return undefined;
  return { id: entry.slice(0, colon), key: entry.slice(colon + 1) };
}

module.exports = defineStrategy({
  name: 'api-key',
  description: 'a static key per user, in the X-API-Key header',
  settings: z.object({
    API_KEYS: setting.list(),
    API_KEY_HEADER: setting
      .text()
      .transform((header) => (header ?? 'x-api-key').toLowerCase()),
  }),
  secrets: ['API_KEYS'],
  // Problems name the entry by its position: its text holds a key.
  validate: (settings) => {
    if (settings.API_KEYS.length === 0) {
      return [
        'API_KEYS is required for the api-key strategy (<user id>:<key>, comma separated)',
      ];
    }
    const problems = [];
    settings.API_KEYS.forEach((entry, index) => {
      const parsed = parseEntry(entry);
      if (!parsed) {
        problems.push(`API_KEYS entry ${index + 1} must be <user id>:<key>`);
      } else if (parsed.key.length < MIN_KEY_LENGTH) {
        problems.push(
          `API_KEYS entry ${index + 1}: the key must be at least ${MIN_KEY_LENGTH} characters (openssl rand -hex 32)`,
        );
      }
    });
    return problems;
  },
  // Once, at boot: the keys' digests, so nothing is hashed per request but the presented key.
  setup: (settings, { logger }) => {
    const keys = settings.API_KEYS.map(parseEntry).map(({ id, key }) => ({
      id,
      digest: digest(key),
    }));
    logger.info(`${keys.length} API keys loaded`);
    return { header: settings.API_KEY_HEADER, keys };
  },
  authenticate: (request, { header, keys }) => {
    // A <script> cannot send the header: a JSONP request is never one of ours.
    if (request.jsonp) return null;
    const presented = request.headers[header];
    if (!presented) return null;
    const presentedDigest = digest(presented);
    // Every key is compared, in constant time, whichever matches: the time says nothing.
    let id = null;
    for (const key of keys) {
      if (timingSafeEqual(key.digest, presentedDigest) && id === null) {
        id = key.id;
      }
    }
    return id === null ? null : { id, claims: { api_key_user: id } };
  },
});
