import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicyDocument, readPolicyFile } from './policy-file';

const problemsOf = (text: string): string[] => {
  const parsed = parsePolicyDocument(text);
  if (!parsed.problems) throw new Error('expected the policy to be refused');
  return parsed.problems;
};

describe('parsePolicyDocument', () => {
  it('reads YAML rules with patterns, any-user and users/groups lists', () => {
    const parsed = parsePolicyDocument(`
version: 1
rules:
  - description: every signed-in user may join the lobby
    channels: presence-lobby
    allow: any-user
  - channels: ['private-admin-*', 'private-encrypted-audit-{id}']
    allow:
      users: [alice]
      groups: [admins]
  - channels: 'private-team-{group}-*'
    allow: any-user
`);
    expect(parsed.problems).toBeUndefined();
    const rules = parsed.rules!;
    expect(rules).toHaveLength(3);
    expect(rules[0]).toMatchObject({
      source: 'CHANNEL_POLICY_FILE rules[0]',
      allow: { anyUser: true },
      usesGroups: false,
    });
    expect(rules[0].patterns.map((pattern) => pattern.text)).toEqual([
      'presence-lobby',
    ]);
    expect(rules[1]).toMatchObject({
      allow: { anyUser: false, users: ['alice'], groups: ['admins'] },
      usesGroups: true,
    });
    expect(rules[1].patterns.map((pattern) => pattern.text)).toEqual([
      'private-admin-*',
      'private-encrypted-audit-{id}',
    ]);
    expect(rules[2].usesGroups).toBe(true);
  });

  it('reads the same policy written as JSON', () => {
    const parsed = parsePolicyDocument(
      JSON.stringify({
        rules: [{ channels: 'presence-room-*', allow: { users: ['bob'] } }],
      }),
    );
    expect(parsed.rules?.[0]).toMatchObject({
      allow: { anyUser: false, users: ['bob'], groups: [] },
      usesGroups: false,
    });
  });

  it('accepts an empty rules list (only the built-in rule applies)', () => {
    expect(parsePolicyDocument('rules: []').rules).toEqual([]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const [problem, ...rest] = problemsOf(
      'rules:\n  - channels: presence-x\n    allow: [any-user\n',
    );
    expect(rest).toEqual([]);
    expect(problem).toMatch(/line \d+, column \d+/);
    expect(problem).not.toContain('\n');
  });

  it('refuses duplicate keys', () => {
    expect(
      problemsOf(
        'rules: []\nrules:\n  - channels: presence-x\n    allow: any-user\n',
      ).join(' '),
    ).toMatch(/unique/i);
  });

  it.each([
    ['a list at the top', '- presence-x', /top level: must be a mapping/],
    ['no rules', 'version: 1', /rules: must be a list of rules/],
    ['an unknown top-level key', 'rules: []\nrulez: []', /rulez/],
    ['a wrong version', 'version: 2\nrules: []', /version: must be 1/],
    [
      'a misspelt rule key',
      'rules:\n  - channels: presence-x\n    alow: any-user',
      /rules\[0\]/,
    ],
    [
      'a missing allow',
      'rules:\n  - channels: presence-x',
      /rules\[0\]\.allow/,
    ],
    [
      'an unknown allow keyword',
      'rules:\n  - channels: presence-x\n    allow: everybody',
      /rules\[0\]\.allow: must be any-user, a mapping/,
    ],
    [
      'an allow mapping naming nobody',
      'rules:\n  - channels: presence-x\n    allow: {users: []}',
      /rules\[0\]\.allow: must name at least one user or group/,
    ],
    [
      'an invalid user id',
      'rules:\n  - channels: presence-x\n    allow: {users: ["bad id"]}',
      /rules\[0\]\.allow\.users\[0\]: user ids are/,
    ],
    [
      'an unknown placeholder',
      "rules:\n  - channels: 'private-{name}'\n    allow: any-user",
      /rules\[0\]\.channels: channel pattern unknown placeholder \{name\}/,
    ],
    [
      'a pattern that is not a private or presence channel',
      'rules:\n  - channels: [presence-ok, "*"]\n    allow: any-user',
      /rules\[0\]\.channels\[1\]: channel pattern must start with private-/,
    ],
    [
      'a pattern with characters Pusher refuses',
      'rules:\n  - channels: "private-a b"\n    allow: any-user',
      /channel pattern may only contain/,
    ],
    [
      'an empty channel list',
      'rules:\n  - channels: []\n    allow: any-user',
      /rules\[0\]\.channels/,
    ],
  ])('refuses %s, naming where', (_case, text, expected) => {
    expect(problemsOf(text).join('\n')).toMatch(expected);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(`
rules:
  - channels: 'private-{nope}'
    allow: any-user
  - channels: presence-ok
    allow: nobody
`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^rules\[0\]\.channels/);
    expect(problems[1]).toMatch(/^rules\[1\]\.allow/);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(
        `${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`,
      );
    }
    lines.push('rules: []');
    expect(problemsOf(lines.join('\n')).join(' ')).toMatch(/alias/i);
  });
});

describe('the examples in docs/channel-policy.md', () => {
  const doc = readFileSync(
    join(__dirname, '../../../docs/channel-policy.md'),
    'utf8',
  );
  const block = (language: string) =>
    new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc)?.[1] ?? '';

  it('parses the YAML example', () => {
    const parsed = parsePolicyDocument(block('yaml'));
    expect(parsed.problems).toBeUndefined();
    expect(parsed.rules).toHaveLength(5);
  });

  it('parses the demo policy example', () => {
    const example = /```yaml\n(# CHANNEL_POLICY_FILE[\s\S]*?)```/.exec(
      doc,
    )?.[1];
    const parsed = parsePolicyDocument(example ?? '');
    expect(parsed.problems).toBeUndefined();
    expect(parsed.rules).toHaveLength(5);
  });

  it('parses the JSON example', () => {
    const parsed = parsePolicyDocument(block('json'));
    expect(parsed.problems).toBeUndefined();
    expect(parsed.rules).toHaveLength(2);
  });
});

describe('readPolicyFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pusher-auth-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a YAML file', () => {
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      'rules:\n  - channels: presence-lobby\n    allow: any-user\n',
    );
    expect(readPolicyFile(file).rules).toHaveLength(1);
  });

  it('names the setting and the file when it is missing', () => {
    const file = join(dir, 'missing.yaml');
    expect(readPolicyFile(file).problems).toEqual([
      `CHANNEL_POLICY_FILE (${file}): cannot be read (ENOENT)`,
    ]);
  });

  it('refuses an empty file', () => {
    const file = join(dir, 'empty.yaml');
    writeFileSync(file, '\n  \n');
    expect(readPolicyFile(file).problems).toEqual([
      `CHANNEL_POLICY_FILE (${file}): is empty (expected a rules list)`,
    ]);
  });

  it('prefixes parse problems with the setting and the file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"rules": [}');
    const problems = readPolicyFile(file).problems ?? [];
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.startsWith(`CHANNEL_POLICY_FILE (${file}): `)).toBe(true);
    }
  });
});
