import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { PROJECT_ROOT } from '../helpers/cli-process';
import { LocalHttpServer } from '../helpers/local-http-server';
import {
  Answer,
  PLUGIN_PUSHER,
  pluginServiceEnv,
  postForm,
  RunningService,
  signedPluginPresenceMember,
  signedPluginUser,
  startPluginService,
} from '../helpers/plugin-service';
import { builtServiceWorkDir } from '../helpers/service-process';
import { waitFor } from '../helpers/wait-for';

const SOCKET_ID = '1234.5678';
const ALICE_KEY = randomBytes(32).toString('hex');
const BOB_TOKEN = randomBytes(24).toString('base64url');
const PROJECT_TOKEN = randomBytes(24).toString('base64url');

/** What the project service (examples/plugins/project-access.plugin.js asks it) knows. */
const MEMBERS: Record<string, Record<string, object>> = {
  apollo: { alice: { name: 'Alice A.', role: 'owner', salary: 'not shown' } },
};

/**
 * The plugins of examples/plugins/, listed in PLUGINS by their paths relative to the working
 * directory and loaded by the compiled service, as the examples' README runs them. Every answer
 * goes over real HTTP and every signature is recomputed here.
 */
describe('the example plugins, run by the compiled service', () => {
  let workDir: string;
  let projects: LocalHttpServer;
  let service: RunningService;

  beforeAll(async () => {
    workDir = builtServiceWorkDir('pusher-auth-plugins-');
    projects = await LocalHttpServer.start((request, response) => {
      const [, project, user] =
        /^\/projects\/([^/]+)\/members\/([^/]+)$/.exec(request.path) ?? [];
      if (request.headers.authorization !== `Bearer ${PROJECT_TOKEN}`) {
        response.writeHead(401).end();
      } else if (project === 'broken') {
        response.writeHead(500).end();
      } else if (MEMBERS[project]?.[user]) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(MEMBERS[project][user]));
      } else {
        response.writeHead(404).end();
      }
    });
    service = await startPluginService(
      pluginServiceEnv(workDir, {
        PLUGINS: [
          './examples/plugins/api-key.strategy.js',
          './examples/plugins/bearer.passport-strategy.js',
          './examples/plugins/document-access.channel-check.js',
          './examples/plugins/project-access.plugin.js',
        ].join(','),
        AUTH_STRATEGIES: 'api-key,bearer',
        API_KEYS: `alice:${ALICE_KEY},carol:${randomBytes(32).toString('hex')}`,
        BEARER_TOKENS: `bob:${BOB_TOKEN}`,
        DOCUMENT_ACCESS_FILE: './examples/plugins/document-access.json',
        PROJECT_ACCESS_URL: projects.origin,
        PROJECT_ACCESS_TOKEN: PROJECT_TOKEN,
        CHANNEL_POLICY_FILE: './examples/plugins/channel-policy.yaml',
        JSONP_ENABLED: 'true',
      }),
      PROJECT_ROOT,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await projects?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const signIn = (headers: Record<string, string>, fields = {}) =>
    postForm(
      service.origin,
      '/pusher/user-auth',
      { socket_id: SOCKET_ID, ...fields },
      headers,
    );
  const authorize = (channel: string, headers: Record<string, string>) =>
    postForm(
      service.origin,
      '/pusher/auth',
      { socket_id: SOCKET_ID, channel_name: channel },
      headers,
    );
  const asAlice = { 'x-api-key': ALICE_KEY };
  const asBob = { authorization: `Bearer ${BOB_TOKEN}` };

  const signedUser = (answer: Answer) => signedPluginUser(answer, SOCKET_ID);

  describe('api-key (defineStrategy)', () => {
    it('signs in the user whose key the X-API-Key header carries', async () => {
      expect(signedUser(await signIn(asAlice))).toEqual({ id: 'alice' });
    });

    it.each([
      ['no key', {}],
      ['a key nobody has', { 'x-api-key': randomBytes(32).toString('hex') }],
      ["alice's key cut short", { 'x-api-key': ALICE_KEY.slice(0, -1) }],
      ['a key in another header', { authorization: `Bearer ${ALICE_KEY}` }],
    ])('answers 403 for %s', async (_case, headers) => {
      expect((await signIn(headers)).status).toBe(403);
    });

    it('declines JSONP, whatever it carries', async () => {
      const response = await fetch(
        `${service.origin}/pusher/user-auth?callback=cb&socket_id=${SOCKET_ID}`,
        { headers: asAlice },
      );
      expect(response.status).toBe(403);
    });
  });

  describe('bearer (passport-http-bearer through definePassportStrategy)', () => {
    it('signs in the user whose token the Authorization header carries', async () => {
      expect(signedUser(await signIn(asBob))).toEqual({ id: 'bob' });
    });

    it('reads the access_token body field too, as passport-http-bearer does', async () => {
      expect(signedUser(await signIn({}, { access_token: BOB_TOKEN }))).toEqual(
        { id: 'bob' },
      );
    });

    it('answers 403 for a token its verify callback does not know', async () => {
      const answer = await signIn({ authorization: `Bearer ${BOB_TOKEN}x` });
      expect(answer.status).toBe(403);
    });
  });

  describe('document-access (defineChannelCheck, a JSON file)', () => {
    it("signs a presence channel with the member's user_info from the check", async () => {
      const answer = await authorize('presence-doc-roadmap', asAlice);
      expect(
        signedPluginPresenceMember(answer, SOCKET_ID, 'presence-doc-roadmap'),
      ).toEqual({
        user_id: 'alice',
        user_info: { name: 'Alice', role: 'editor' },
      });
    });

    it('signs a private channel for a listed viewer', async () => {
      const answer = await authorize('private-doc-roadmap', asBob);
      expect(answer.json()).toEqual({
        auth: expectedChannelAuth(
          PLUGIN_PUSHER.key,
          PLUGIN_PUSHER.secret,
          SOCKET_ID,
          'private-doc-roadmap',
        ),
      });
    });

    it.each([
      ['a document bob is not listed for', 'presence-doc-budget'],
      ['a document the file does not hold', 'private-doc-unknown'],
    ])('answers 403 for %s', async (_case, channel) => {
      expect((await authorize(channel, asBob)).status).toBe(403);
    });
  });

  describe('project-access (the factory form, asking a service)', () => {
    it("signs a presence channel with the fields the example keeps of the service's answer", async () => {
      const answer = await authorize('presence-project-apollo', asAlice);
      expect(
        signedPluginPresenceMember(
          answer,
          SOCKET_ID,
          'presence-project-apollo',
        ),
      ).toEqual({
        user_id: 'alice',
        user_info: { name: 'Alice A.', role: 'owner' },
      });
    });

    it('answers 403 for a user the service says is no member', async () => {
      expect((await authorize('private-project-apollo', asBob)).status).toBe(
        403,
      );
    });

    it('answers 503 with Retry-After when the service fails, and signs nothing', async () => {
      const answer = await authorize('private-project-broken', asAlice);
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body).not.toContain('auth');
    });

    it('in a batch, answers 503 for the failing channel alone', async () => {
      const channels = [
        'presence-doc-roadmap',
        'private-project-broken',
        'private-project-apollo',
        'private-doc-unknown',
      ];
      const answer = await postForm(
        service.origin,
        '/pusher/auth',
        {
          socket_id: SOCKET_ID,
          ...Object.fromEntries(
            channels.map((channel, index) => [
              `channel_name[${index}]`,
              channel,
            ]),
          ),
        },
        asAlice,
      );
      expect(answer.status).toBe(200);
      const entries = answer.json();
      expect(Object.keys(entries)).toEqual(channels);
      const roadmap = entries['presence-doc-roadmap'];
      expect(roadmap.status).toBe(200);
      expect(roadmap.data.auth).toBe(
        expectedChannelAuth(
          PLUGIN_PUSHER.key,
          PLUGIN_PUSHER.secret,
          SOCKET_ID,
          'presence-doc-roadmap',
          roadmap.data.channel_data,
        ),
      );
      expect(entries['private-project-broken']).toEqual({
        status: 503,
        message: ['the channel could not be decided now; try again later'],
      });
      expect(entries['private-project-apollo']).toEqual({
        status: 200,
        data: {
          auth: expectedChannelAuth(
            PLUGIN_PUSHER.key,
            PLUGIN_PUSHER.secret,
            SOCKET_ID,
            'private-project-apollo',
          ),
        },
      });
      expect(entries['private-doc-unknown']).toEqual({ status: 403 });
    });

    it('sends the service its token, which never reaches the log', async () => {
      expect(projects.received.length).toBeGreaterThan(0);
      // pino writes asynchronously: the failure's warning may still be on its way.
      await waitFor('the warning of the failed check', () =>
        service
          .output()
          .includes(
            `channel check project-access unavailable: ${projects.origin} answered 500`,
          ),
      );
      expect(service.output()).not.toContain(PROJECT_TOKEN);
    });
  });

  it('never writes an API key or a bearer token to the log', async () => {
    // Lines are written in order: once this request's line is out, so is every earlier one.
    const requestId = `leak-check-${randomBytes(6).toString('hex')}`;
    await signIn({ ...asAlice, 'x-request-id': requestId });
    await waitFor('the last request line', () =>
      service.output().includes(requestId),
    );
    const log = service.output();
    expect(log).not.toContain(ALICE_KEY);
    expect(log).not.toContain(BOB_TOKEN);
  });
});
