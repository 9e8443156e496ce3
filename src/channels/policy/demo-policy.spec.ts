import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelRule } from './channel-rule';
import { DEMO_POLICY_RULES } from './demo-policy';
import { parsePolicyDocument } from './policy-file';

/** The example policy file in docs/channel-policy.md, which the demo policy promises to be. */
function documentedExamplePolicy(): ChannelRule[] {
  const doc = readFileSync(
    join(__dirname, '../../../docs/channel-policy.md'),
    'utf8',
  );
  const block = /```yaml\n(# CHANNEL_POLICY_FILE=[^\n]*\n[\s\S]*?)```/.exec(
    doc,
  );
  if (!block)
    throw new Error('docs/channel-policy.md has no example policy file');
  const parsed = parsePolicyDocument(block[1]);
  if (!parsed.rules) throw new Error(parsed.problems.join('\n'));
  return parsed.rules;
}

const shape = (rules: readonly ChannelRule[]) =>
  rules.map((rule) => ({
    patterns: rule.patterns.map((pattern) => pattern.text),
    allow:
      'relation' in rule.allow && rule.allow.relation.kind === 'sql'
        ? { sql: rule.allow.relation.query.replace(/\s+/g, ' ') }
        : rule.allow,
  }));

describe('the demo policy', () => {
  it('is the example policy file of docs/channel-policy.md, rule for rule', () => {
    expect(shape(DEMO_POLICY_RULES)).toEqual(shape(documentedExamplePolicy()));
  });
});
