import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli-process';
import { pluginServiceEnv, writePlugin } from '../helpers/plugin-service';
import {
  runServiceToExit,
  useBuiltServiceWorkDir,
} from '../helpers/service-process';

const EXAMPLES = join(PROJECT_ROOT, 'examples/plugins');

/** A factory-form strategy named `name` that declines everyone. */
const strategyNamed = (name: string) =>
  `module.exports = ({ defineStrategy }) =>
  defineStrategy({ name: '${name}', authenticate: () => null });\n`;

interface BrokenCase {
  /** The files written into the working directory before the run. */
  files: Record<string, string>;
  env: Record<string, string>;
  /** The one problem, `<dir>` standing for the working directory. */
  problem: string;
}

/**
 * A plugin that cannot be used stops the compiled service before it listens: exit code 1 and one
 * message naming the module (as PLUGINS lists it) and what is wrong, without a stack trace.
 */
const CASES: Record<string, BrokenCase> = {
  'a file that does not exist': {
    files: {},
    env: { PLUGINS: './nowhere.js', AUTH_STRATEGIES: 'nowhere' },
    problem:
      'PLUGINS: ./nowhere.js: cannot be loaded (no file at <dir>/nowhere.js)',
  },
  'a package that is not installed': {
    files: {},
    env: { PLUGINS: 'pusher-auth-plugin-nowhere', AUTH_STRATEGIES: 'x' },
    problem:
      "PLUGINS: pusher-auth-plugin-nowhere: cannot be loaded (Cannot find package 'pusher-auth-plugin-nowhere' imported from",
  },
  'a syntax error': {
    files: { 'broken.js': 'module.exports = ({ defineStrategy }) => {\n' },
    env: { PLUGINS: './broken.js', AUTH_STRATEGIES: 'broken' },
    problem: 'PLUGINS: ./broken.js: cannot be loaded (Unexpected end of input)',
  },
  'a module that throws when imported': {
    files: {
      'throws.js': "throw new Error('the plugin needs FOO_HOME');\n",
    },
    env: { PLUGINS: './throws.js', AUTH_STRATEGIES: 'throws' },
    problem:
      'PLUGINS: ./throws.js: cannot be loaded (the plugin needs FOO_HOME)',
  },
  'a factory that throws': {
    files: {
      'factory.js':
        "module.exports = () => { throw new Error('no definition today'); };\n",
    },
    env: { PLUGINS: './factory.js', AUTH_STRATEGIES: 'factory' },
    problem:
      'PLUGINS: ./factory.js: its factory function failed (no definition today)',
  },
  'a definition with a bad name': {
    files: {
      'shouting.js': strategyNamed('API_KEY'),
    },
    env: { PLUGINS: './shouting.js', AUTH_STRATEGIES: 'api-key' },
    problem:
      'PLUGINS: ./shouting.js: its factory function failed (strategy "API_KEY": name must be 1-40 characters of a-z 0-9 and -, starting with a letter)',
  },
  'a folder': {
    files: { 'sso/index.js': strategyNamed('sso') },
    env: { PLUGINS: './sso', AUTH_STRATEGIES: 'sso' },
    problem:
      "PLUGINS: ./sso: cannot be loaded (<dir>/sso is a folder: name the plugin's file)",
  },
  'a settings schema that throws, quoting a secret': {
    files: {
      'refine.js': `module.exports = ({ defineStrategy, z }) =>
  defineStrategy({
    name: 'refine',
    settings: z.object({
      REFINE_KEY: z.string().refine((key) => { throw new Error('cannot use ' + key); }),
    }),
    secrets: ['REFINE_KEY'],
    authenticate: () => null,
  });\n`,
    },
    env: {
      PLUGINS: './refine.js',
      AUTH_STRATEGIES: 'refine',
      REFINE_KEY: 'refine-key-not-for-the-log',
    },
    problem:
      'strategy refine: its settings schema failed (cannot use [Redacted])',
  },
  'a module that exports nothing usable': {
    files: {
      'plain.js':
        "module.exports = { name: 'plain', authenticate: () => null };\n",
    },
    env: { PLUGINS: './plain.js', AUTH_STRATEGIES: 'plain' },
    problem:
      'PLUGINS: ./plain.js: exports no strategy or channel check (export what defineStrategy, definePassportStrategy or defineChannelCheck returns)',
  },
  'a strategy named like a shipped one': {
    files: { 'jwt.js': strategyNamed('jwt') },
    env: { PLUGINS: './jwt.js', AUTH_STRATEGIES: 'jwt' },
    problem:
      'PLUGINS: ./jwt.js: strategy jwt is already defined by the shipped strategies; choose another name',
  },
  'two plugins defining one name': {
    files: {
      'first.js': strategyNamed('sso'),
      'second.js': strategyNamed('sso'),
    },
    env: { PLUGINS: './first.js,./second.js', AUTH_STRATEGIES: 'sso' },
    problem:
      'PLUGINS: ./second.js: strategy sso is already defined by ./first.js; choose another name',
  },
  'one module listed twice': {
    files: { 'sso.js': strategyNamed('sso') },
    env: { PLUGINS: './sso.js, <dir>/sso.js,', AUTH_STRATEGIES: 'sso' },
    problem:
      'PLUGINS: <dir>/sso.js: is the module ./sso.js already lists; list it once',
  },
  'a required setting left out': {
    files: {},
    env: {
      PLUGINS: join(EXAMPLES, 'project-access.plugin.js'),
      PROJECT_ACCESS_TOKEN: 'project-service-token',
      AUTH_STRATEGIES: 'jwt',
      JWT_SECRET: 'a-jwt-secret-of-at-least-32-bytes-long',
    },
    problem: 'PROJECT_ACCESS_URL: is required',
  },
  "a strategy's own cross-check": {
    files: {},
    env: {
      PLUGINS: join(EXAMPLES, 'api-key.strategy.js'),
      AUTH_STRATEGIES: 'api-key',
      API_KEYS: 'alice:too-short',
    },
    problem:
      'API_KEYS entry 1: the key must be at least 32 characters (openssl rand -hex 32)',
  },
  'a policy rule naming a check no plugin defines': {
    files: {
      'policy.yaml':
        'rules:\n  - channels: private-doc-*\n    allow: { check: document-acess }\n',
    },
    env: {
      PLUGINS: join(EXAMPLES, 'document-access.channel-check.js'),
      DOCUMENT_ACCESS_FILE: join(EXAMPLES, 'document-access.json'),
      CHANNEL_POLICY_FILE: './policy.yaml',
      AUTH_STRATEGIES: 'jwt',
      JWT_SECRET: 'a-jwt-secret-of-at-least-32-bytes-long',
    },
    problem:
      'CHANNEL_POLICY_FILE (<dir>/policy.yaml): rules[0].allow.check: no channel check "document-acess" is loaded (loaded: document-access; add its module to PLUGINS)',
  },
};

describe('plugins that stop the compiled service at start-up', () => {
  const root = useBuiltServiceWorkDir('pusher-auth-plugin-start-');

  it.each(Object.entries(CASES))(
    '%s: exit code 1, one message naming it, no stack',
    async (name, { files, env, problem }) => {
      const dir = join(root(), name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      for (const [file, source] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writePlugin(dir, file, source);
      }
      const { code, output } = await runServiceToExit(
        pluginServiceEnv(
          dir,
          Object.fromEntries(
            Object.entries(env).map(([name, value]) => [
              name,
              value.replaceAll('<dir>', dir),
            ]),
          ),
        ),
        dir,
      );
      expect(code).toBe(1);
      expect(output).toMatch(
        /^pusher-auth cannot start\. Invalid configuration \(1 problem\):\n {2}- /,
      );
      expect(output).toContain(problem.replaceAll('<dir>', dir));
      expect(output.trimEnd().split('\n')).toHaveLength(2);
    },
  );
});
