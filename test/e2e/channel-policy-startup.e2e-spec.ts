import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expectedChannelAuth } from '../helpers/channel-signature';
import {
  startService,
  stopService,
  useBuiltServiceWorkDir,
} from '../helpers/service-process';
import { runServiceWithPolicyFile } from '../helpers/policy-file';

describe('starting the compiled service: channel authorization', () => {
  const workDir = useBuiltServiceWorkDir('pusher-auth-policy-start-');

  it('stops with one clear message naming the file and every problem in it', async () => {
    const { code, output } = await runServiceWithPolicyFile(
      workDir(),
      [
        'rules:',
        "  - channels: 'private-{nope}'",
        '    allow: any-user',
        '  - channels: presence-lobby',
        '    allow: everybody',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      /^pusher-auth cannot start\. Invalid configuration \(2 problems\):/,
    );
    const policyPath = join(workDir(), 'policy.yaml');
    expect(output).toContain(
      `CHANNEL_POLICY_FILE (${policyPath}): rules[0].channels: channel pattern unknown placeholder {nope}`,
    );
    expect(output).toContain(
      `CHANNEL_POLICY_FILE (${policyPath}): rules[1].allow: must be any-user`,
    );
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("prints a demo curl line for channel authorization that returns alice's signed channel", async () => {
    const service = await startService(
      { PORT: '0', HOST: '127.0.0.1' },
      workDir(),
      /curl [^\n]*channel_name=private-user-alice/,
    );
    try {
      const { stdout } = await promisify(execFile)('sh', [
        '-c',
        service.match[0],
      ]);
      expect(JSON.parse(stdout)).toEqual({
        auth: expectedChannelAuth(
          'app-key',
          'app-secret',
          '1234.5678',
          'private-user-alice',
        ),
      });
    } finally {
      await stopService(service.child);
    }
  });
});
