/**
 * `project-access`: a channel check that asks another service, written in the factory form. The
 * module exports a function; pusher-auth calls it once, with the plugin API, and uses what it
 * returns (one definition or a list). Nothing is `require`d from pusher-auth, so the file works
 * wherever it is: a folder mounted into the container (`-v ./plugins:/plugins`), a temp folder.
 *
 * Who may join a project's channels (`private-project-<id>`, `presence-project-<id>`) is asked
 * of your project service, one request per channel:
 *
 *   GET <PROJECT_ACCESS_URL>/projects/<id>/members/<user id>
 *   Authorization: Bearer <PROJECT_ACCESS_TOKEN>
 *
 *   200 {"name": "Alice", "role": "owner"}   a member: allowed, with that user_info on presence
 *   404 or 403                               not a member: refused (403 for that channel)
 *   anything else, no answer in time         IdentityProviderUnavailable: 503 for that channel
 *                                            (in a batch, for that entry alone), never signed
 *
 * Settings:
 *   PROJECT_ACCESS_URL         the service's base URL. Required; https:// in production.
 *   PROJECT_ACCESS_TOKEN       the bearer token it expects. Required. A secret: never logged.
 *   PROJECT_ACCESS_TIMEOUT_MS  the longest a request may take. @default 2000
 *
 * Run it with the policy rule `{ channels: ['private-project-*', 'presence-project-*'],
 * allow: { check: project-access } }` (examples/plugins/channel-policy.yaml):
 *
 *   PLUGINS=/plugins/project-access.plugin.js PROJECT_ACCESS_URL=https://projects.internal \
 *     PROJECT_ACCESS_TOKEN=… CHANNEL_POLICY_FILE=/plugins/channel-policy.yaml … npm start
 */
const PROJECT_CHANNEL = /^(?:private|presence)-project-([A-Za-z0-9_-]+)$/;

module.exports = ({
  defineChannelCheck,
  IdentityProviderUnavailable,
  setting,
  z,
}) =>
  defineChannelCheck({
    name: 'project-access',
    description: "a project's members, asked of the project service",
    settings: z.object({
      PROJECT_ACCESS_URL: setting.required(setting.url()),
      PROJECT_ACCESS_TOKEN: setting.required(setting.text()),
      PROJECT_ACCESS_TIMEOUT_MS: setting.integer(2000, 100, 4000),
    }),
    secrets: ['PROJECT_ACCESS_TOKEN'],
    // The project service's answer decides who joins: plain HTTP only on loopback or a network
    // the operator vouches for, as for the shipped strategies.
    validate: (settings, { production, allowHttpProviders }) => {
      const url = new URL(settings.PROJECT_ACCESS_URL);
      const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      return production &&
        url.protocol === 'http:' &&
        !local &&
        !allowHttpProviders
        ? ['PROJECT_ACCESS_URL must be an https:// URL in production']
        : [];
    },
    setup: (settings) => ({
      base: settings.PROJECT_ACCESS_URL.replace(/\/+$/, ''),
      headers: { authorization: `Bearer ${settings.PROJECT_ACCESS_TOKEN}` },
      timeoutMs: settings.PROJECT_ACCESS_TIMEOUT_MS,
    }),
    check: async (caller, channel, _captures, { base, headers, timeoutMs }) => {
      const project = PROJECT_CHANNEL.exec(channel)?.[1];
      if (!project) return false;
      const url = `${base}/projects/${project}/members/${encodeURIComponent(caller.id)}`;
      let response;
      try {
        response = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // The URL is logged, never the token; the reason is the error's name (TimeoutError…).
        throw new IdentityProviderUnavailable(
          `${base} unreachable (${error.name})`,
        );
      }
      if (response.status === 404 || response.status === 403) {
        await response.body?.cancel();
        return false;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new IdentityProviderUnavailable(
          `${base} answered ${response.status}`,
        );
      }
      let member;
      try {
        member = await response.json();
      } catch {
        throw new IdentityProviderUnavailable(`${base} answered no JSON`);
      }
      if (typeof member !== 'object' || member === null) {
        throw new IdentityProviderUnavailable(`${base} answered no member`);
      }
      const userInfo = {};
      for (const field of ['name', 'role']) {
        if (typeof member[field] === 'string') userInfo[field] = member[field];
      }
      return { allow: true, userInfo };
    },
  });
