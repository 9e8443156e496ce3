import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { PROJECT_ROOT } from '../helpers/cli-process';
import {
  PLUGIN_PUSHER,
  pluginServiceEnv,
  postForm,
  RunningService,
  signedPluginUser,
  startPluginService,
  writePlugin,
} from '../helpers/plugin-service';

const MOUNTED_KEY = randomBytes(16).toString('hex');
const ESM_KEY = randomBytes(16).toString('hex');

/**
 * A volume's plugin: the factory form, in a folder where `pusher-auth/plugin` does not resolve.
 * One module may define several extensions (here a strategy and a channel check).
 */
const MOUNTED = `
module.exports = ({ defineStrategy, defineChannelCheck }) => [
  defineStrategy({
    name: 'mounted-key',
    authenticate: (request) =>
      request.headers['x-mounted-key'] === process.env.MOUNTED_KEY ? { id: 'mia' } : null,
  }),
  defineChannelCheck({
    name: 'mounted-check',
    check: (caller, channel) => ({ allow: caller.id === 'mia', userInfo: { via: 'mounted' } }),
  }),
];
`;

/** An ES module of a project that installed pusher-auth: it imports the API by its name. */
const ESM = `
import { defineStrategy } from 'pusher-auth/plugin';

export const esmKey = defineStrategy({
  name: 'esm-key',
  authenticate: (request) =>
    request.headers['x-esm-key'] === process.env.ESM_KEY ? { id: 'eve' } : null,
});
`;

/** An ES module in the factory form, as a mounted .mjs would be written. */
const ESM_FACTORY = `
export default ({ defineChannelCheck }) =>
  defineChannelCheck({ name: 'esm-check', check: (caller) => caller.id === 'eve' });
`;

describe('plugins outside the repository, CommonJS and ES modules', () => {
  let workDir: string;
  let service: RunningService;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-plugin-loading-'));
    const mounted = join(workDir, 'mounted');
    mkdirSync(mounted);
    writePlugin(mounted, 'plugin.js', MOUNTED);
    // A project folder with pusher-auth among its dependencies.
    const project = join(workDir, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(PROJECT_ROOT, join(project, 'node_modules/pusher-auth'));
    writePlugin(project, 'esm-key.mjs', ESM);
    writePlugin(project, 'esm-check.mjs', ESM_FACTORY);
    writePlugin(
      workDir,
      'policy.yaml',
      [
        'rules:',
        '  - channels: presence-mounted-*',
        '    allow: { check: mounted-check }',
        '  - channels: private-esm-*',
        '    allow: { check: esm-check }',
      ].join('\n'),
    );
    service = await startPluginService(
      pluginServiceEnv(workDir, {
        // A relative path and absolute ones; none under the repository.
        PLUGINS: `./mounted/plugin.js,${join(project, 'esm-key.mjs')},${join(project, 'esm-check.mjs')}`,
        AUTH_STRATEGIES: 'esm-key,mounted-key',
        MOUNTED_KEY,
        ESM_KEY,
        CHANNEL_POLICY_FILE: './policy.yaml',
      }),
      workDir,
    );
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const signIn = (headers: Record<string, string>) =>
    postForm(
      service.origin,
      '/pusher/user-auth',
      { socket_id: '3.4' },
      headers,
    );
  const authorize = (channel: string, headers: Record<string, string>) =>
    postForm(
      service.origin,
      '/pusher/auth',
      { socket_id: '3.4', channel_name: channel },
      headers,
    );

  it.each([
    [
      'the factory form from a folder of its own',
      { 'x-mounted-key': MOUNTED_KEY },
      'mia',
    ],
    [
      'an ES module importing pusher-auth/plugin',
      { 'x-esm-key': ESM_KEY },
      'eve',
    ],
  ])('signs in through %s', async (_case, headers, id) => {
    expect(signedPluginUser(await signIn(headers), '3.4')).toEqual({ id });
  });

  it("decides a channel with the factory module's second definition", async () => {
    const answer = await authorize('presence-mounted-room', {
      'x-mounted-key': MOUNTED_KEY,
    });
    const channelData = JSON.stringify({
      user_id: 'mia',
      user_info: { via: 'mounted' },
    });
    expect(answer.json()).toEqual({
      auth: expectedChannelAuth(
        PLUGIN_PUSHER.key,
        PLUGIN_PUSHER.secret,
        '3.4',
        'presence-mounted-room',
        channelData,
      ),
      channel_data: channelData,
    });
    expect(
      (await authorize('presence-mounted-room', { 'x-esm-key': ESM_KEY }))
        .status,
    ).toBe(403);
  });

  it('decides a channel with an ES module in the factory form', async () => {
    const answer = await authorize('private-esm-notes', {
      'x-esm-key': ESM_KEY,
    });
    expect(answer.json()).toEqual({
      auth: expectedChannelAuth(
        PLUGIN_PUSHER.key,
        PLUGIN_PUSHER.secret,
        '3.4',
        'private-esm-notes',
      ),
    });
  });
});
