import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadServiceConfig } from '../extensions/service-config';

const BASE = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the channels section of the configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pusher-auth-channels-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has only the built-in rule without CHANNEL_POLICY_FILE', () => {
    expect(loadServiceConfig(BASE).channels).toEqual({
      rules: [],
      relationTimeoutMs: 2000,
      relationCacheTtlMs: 10000,
    });
  });

  it('loads and compiles the rules of CHANNEL_POLICY_FILE', () => {
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      "rules:\n  - channels: 'presence-room-*'\n    allow: {groups: [staff]}\n",
    );
    const { channels } = loadServiceConfig({
      ...BASE,
      CHANNEL_POLICY_FILE: file,
    });
    expect(channels.policyFile).toBe(file);
    expect(channels.rules).toHaveLength(1);
    expect(channels.rules[0]).toMatchObject({
      source: 'CHANNEL_POLICY_FILE rules[0]',
      usesGroups: true,
    });
  });

  it('reports policy problems together with the other settings', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"rules": [{"channels": "private-x"}]}');
    const problems = problemsOf({
      ...BASE,
      CHANNEL_POLICY_FILE: file,
      CORS_ORIGINS: '*',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^CORS_ORIGINS/),
      `CHANNEL_POLICY_FILE (${file}): rules[0].allow: must be any-user, a mapping with users and/or groups lists, or a relation ({ sql }, { http } or { check })`,
    ]);
  });

  it('refuses a missing policy file', () => {
    expect(
      problemsOf({ ...BASE, CHANNEL_POLICY_FILE: join(dir, 'nope.yaml') }),
    ).toEqual([expect.stringMatching(/cannot be read \(ENOENT\)$/)]);
  });

  it('refuses one path for both endpoints', () => {
    expect(
      problemsOf({
        ...BASE,
        PUSHER_USER_AUTH_PATH: '/auth',
        PUSHER_CHANNEL_AUTH_PATH: '/auth',
      }),
    ).toEqual([
      'PUSHER_CHANNEL_AUTH_PATH must differ from PUSHER_USER_AUTH_PATH',
    ]);
  });
});
