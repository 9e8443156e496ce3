import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { CLI_BIN, PROJECT_ROOT } from '../helpers/cli-process';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startService, stopService } from '../helpers/service-process';

const execFileAsync = promisify(execFile);

interface Block {
  lang: string;
  lines: string[];
}

/** The fenced blocks of the README's Quick start, in order. */
function quickStartBlocks(): Block[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^ *```(\w+)\n([\s\S]*?)^ *```$/gm)].map(
    ([, lang, body]) => ({
      lang,
      lines: body
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#')),
    }),
  );
}

/** The value of `-d name=value` in a curl line. */
const formValue = (command: string, name: string) =>
  new RegExp(`-d ${name}=(\\S+)`).exec(command)?.[1] ?? '';

/**
 * The README's first steps, run as written: the commands of every `sh` block in one shell, in
 * order, with only the port (3000 may be taken on a test machine) and `npx pusher-auth` (the bin it
 * runs, so the folder needs no npm cache) put in. `npm start` is the compiled service, started in an
 * empty folder; npm-start.e2e-spec.ts and cli-bin.e2e-spec.ts test those two entries themselves.
 */
describe("the README's Quick start", () => {
  let workDir: string;
  const blocks = quickStartBlocks();

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-readme-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('begins with npm ci && npm start and reaches a presence channel', () => {
    expect(blocks[0]).toEqual({ lang: 'sh', lines: ['npm ci && npm start'] });
    expect(blocks.map((block) => block.lines.join('\n')).join('\n')).toMatch(
      /channel_name=presence-/,
    );
  });

  it('works step by step in demo mode, every answer as the README shows it', async () => {
    const service = await startService(
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
      60_000,
    );
    try {
      const origin = `http://127.0.0.1:${service.match[1]}`;
      const commands: string[] = [];
      /** For each json block: the command whose output it shows (the block's last line). */
      const expectations: { command: number; shown: string }[] = [];
      for (const block of blocks.slice(1)) {
        if (block.lang === 'sh') commands.push(...block.lines);
        else if (block.lang === 'json') {
          expectations.push({
            command: commands.length - 1,
            shown: block.lines.join('\n'),
          });
        }
      }
      const script = [
        'set -euo pipefail',
        ...commands.map(
          (command, index) =>
            `${command
              .replaceAll('http://127.0.0.1:3000', origin)
              .replaceAll(
                'npx pusher-auth',
                `'${CLI_BIN}'`,
              )}\necho; echo '@@@${index}@@@'`,
        ),
      ].join('\n');
      const { PATH = '', HOME = '' } = process.env;
      const { stdout } = await execFileAsync('bash', ['-c', script], {
        cwd: workDir,
        env: { PATH, HOME },
        timeout: 240_000,
      });
      const outputs = stdout
        .split(/@@@\d+@@@\n?/)
        .map((output) => output.trim());
      expect(outputs).toHaveLength(commands.length + 1);

      expect(expectations.length).toBeGreaterThanOrEqual(3);
      for (const { command, shown } of expectations) {
        const line = commands[command];
        const actual = JSON.parse(outputs[command]) as Record<string, string>;
        const readme = JSON.parse(shown) as Record<string, string>;
        expect(Object.keys(actual)).toEqual(Object.keys(readme));
        expect(readme.auth).toBe('app-key:…');
        const socketId = formValue(line, 'socket_id');
        if (line.includes('/pusher/user-auth')) {
          expect(actual.user_data).toBe(readme.user_data);
          expect(actual.auth).toBe(
            expectedUserAuth(
              'app-key',
              'app-secret',
              socketId,
              actual.user_data,
            ),
          );
        } else {
          expect(actual.channel_data).toBe(readme.channel_data);
          expect(actual.auth).toBe(
            expectedChannelAuth(
              'app-key',
              'app-secret',
              socketId,
              formValue(line, 'channel_name'),
              actual.channel_data,
            ),
          );
        }
      }
    } finally {
      await stopService(service.child);
    }
  }, 300_000);
});
