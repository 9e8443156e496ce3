import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedChannelAuth } from '../helpers/channel-signature';
import {
  LISTENING,
  PLUGIN_PUSHER,
  pluginServiceEnv,
  postForm,
  signedPluginUser,
  writePlugin,
} from '../helpers/plugin-service';
import { startServiceLoggingTo, stopService } from '../helpers/service-process';

/** Secrets that look like no token, so only the secret scrubber can keep them out of the log. */
const secret = (label: string) =>
  `${label}-${randomBytes(12).toString('base64url')}-secret`;
const FIRST_KEY = secret('first');
const SECOND_KEY = secret('second');
const CHECK_TOKEN = secret('check');

/**
 * A careless plugin, mounted outside the repository (factory form): it logs its secrets at boot,
 * and throws with them in the message when asked to (`x-mode`).
 */
const CARELESS_PLUGIN = `
module.exports = ({ defineStrategy, defineChannelCheck, IdentityProviderUnavailable, setting, z }) => [
  defineStrategy({
    name: 'careless',
    settings: z.object({ CARELESS_KEYS: setting.list() }),
    secrets: ['CARELESS_KEYS'],
    setup: (settings, { logger }) => {
      logger.info('keys loaded: ' + settings.CARELESS_KEYS.join(' and '));
      logger.warn('the second key alone: ' + settings.CARELESS_KEYS[1]);
      return settings.CARELESS_KEYS;
    },
    authenticate: (request, keys) => {
      const key = request.headers['x-careless-key'];
      if (!key) return null;
      switch (request.headers['x-mode']) {
        case 'throw': throw new Error('upstream refused ' + key);
        case 'string': throw 'a string naming ' + key;
        case 'unavailable':
          throw new IdentityProviderUnavailable('upstream down for ' + key, { retryAfterS: 7 });
        case 'odd-retry':
          throw new IdentityProviderUnavailable('upstream down', { retryAfterS: '9\\r\\nX-Evil: 1' });
        case 'number-id': return { id: 42 };
        case 'bare-id': return 'alice';
      }
      return keys.includes(key) ? { id: 'alice' } : null;
    },
  }),
  defineChannelCheck({
    name: 'careless-check',
    settings: z.object({ CARELESS_CHECK_TOKEN: setting.required(setting.text()) }),
    secrets: ['CARELESS_CHECK_TOKEN'],
    check: (caller, channel, captures, settings) => {
      if (channel.endsWith('-throw')) throw new TypeError('cannot use ' + settings.CARELESS_CHECK_TOKEN);
      if (channel.endsWith('-cycle')) {
        const userInfo = { name: 'Circe' };
        userInfo.self = userInfo;
        return { allow: true, userInfo };
      }
      return true;
    },
  }),
];
`;

/**
 * What an operator sees of a plugin that fails: the compiled service writes its log to a file
 * (stdout and stderr as file descriptors, as a shell redirection or a container runtime gives
 * them), the file is read when the process has exited.
 */
describe('a plugin that fails at request time', () => {
  let workDir: string;
  let logFile: string;
  let child: ChildProcess;
  let origin: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-plugin-failures-'));
    logFile = join(workDir, 'service.log');
    writePlugin(workDir, 'careless.js', CARELESS_PLUGIN);
    writeFileSync(
      join(workDir, 'policy.yaml'),
      'rules:\n  - channels: [private-careless-*, presence-careless-*]\n    allow: { check: careless-check }\n',
    );
    const started = await startServiceLoggingTo(
      logFile,
      pluginServiceEnv(workDir, {
        PLUGINS: './careless.js',
        AUTH_STRATEGIES: 'careless',
        CARELESS_KEYS: `${FIRST_KEY},${SECOND_KEY}`,
        CARELESS_CHECK_TOKEN: CHECK_TOKEN,
        CHANNEL_POLICY_FILE: './policy.yaml',
      }),
      workDir,
      LISTENING,
    );
    child = started.child;
    origin = `http://127.0.0.1:${started.match[1]}`;
  });
  afterAll(async () => {
    if (child) await stopService(child);
    rmSync(workDir, { recursive: true, force: true });
  });

  const signIn = (key: string, mode?: string) =>
    postForm(
      origin,
      '/pusher/user-auth',
      { socket_id: '1.2' },
      { 'x-careless-key': key, ...(mode ? { 'x-mode': mode } : {}) },
    );
  const authorize = (channel: string) =>
    postForm(
      origin,
      '/pusher/auth',
      { socket_id: '1.2', channel_name: channel },
      { 'x-careless-key': FIRST_KEY },
    );

  it.each([
    ['an Error', 'throw', '5'],
    ['something not an Error', 'string', '5'],
    [
      'IdentityProviderUnavailable with its own Retry-After',
      'unavailable',
      '7',
    ],
    // The service's default, not a header Node refuses (that was a 500).
    [
      'IdentityProviderUnavailable with a Retry-After that is text',
      'odd-retry',
      '5',
    ],
    // Answers of the wrong shape are the plugin's bug (they were 500s).
    ['nothing, but a caller whose id is a number', 'number-id', '5'],
    ['nothing, but a bare string as the caller', 'bare-id', '5'],
  ])(
    'throwing %s answers 503 with Retry-After, and the process serves the next request',
    async (_case, mode, retryAfter) => {
      const failed = await signIn(FIRST_KEY, mode);
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe(retryAfter);
      expect(failed.body).not.toContain(FIRST_KEY);

      signedPluginUser(await signIn(FIRST_KEY), '1.2');
    },
  );

  it('a channel check that throws answers 503 for its channel, and the next channel is signed', async () => {
    const failed = await authorize('private-careless-throw');
    expect(failed.status).toBe(503);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(failed.body).not.toContain('auth');
    expect((await authorize('private-careless-ok')).json()).toEqual({
      auth: expectedChannelAuth(
        PLUGIN_PUSHER.key,
        PLUGIN_PUSHER.secret,
        '1.2',
        'private-careless-ok',
      ),
    });
  });

  it('a channel check answering a userInfo that cannot be signed answers 503 for its channel', async () => {
    const failed = await authorize('presence-careless-cycle');
    expect(failed.status).toBe(503);
    expect(failed.body).not.toContain('auth');
  });

  it('never writes its secrets to the log, whole or item by item, however it leaks them', async () => {
    // Every leaking path once more, then the process's exit: the file then holds every line.
    await signIn(SECOND_KEY, 'throw');
    await signIn(SECOND_KEY, 'string');
    await signIn(SECOND_KEY, 'unavailable');
    await authorize('private-careless-throw');
    await stopService(child);

    const log = readFileSync(logFile, 'utf8');
    for (const value of [FIRST_KEY, SECOND_KEY, CHECK_TOKEN]) {
      expect(log).not.toContain(value);
    }
    expect(log).toContain('keys loaded: [Redacted] and [Redacted]');
    expect(log).toContain('the second key alone: [Redacted]');
    expect(log).toContain(
      'strategy careless failed unexpectedly: upstream refused [Redacted]',
    );
    expect(log).toContain(
      'identity provider careless unavailable: upstream down for [Redacted]',
    );
    expect(log).toContain(
      'channel check careless-check failed unexpectedly: cannot use [Redacted]',
    );
  });
});
