import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** The README's Quick start section: its commands are run below. */
const QUICK_START = 'Quick start';
/** The one other section with commands: no Docker engine here, so they are checked, not run. */
const DOCKER = 'Running it with Docker';

/** The fenced blocks of a piece of markdown, in order, without blank and comment lines. */
function blocksOf(markdown: string): Block[] {
  return [...markdown.matchAll(/^ *```(\w+)\n([\s\S]*?)^ *```$/gm)].map(
    ([, lang, body]) => ({
      lang,
      lines: body
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#')),
    }),
  );
}

/** The fenced blocks of each `## ` section of a README, by heading. */
function sectionsOf(readme: string): Map<string, Block[]> {
  const sections = new Map<string, Block[]>();
  for (const section of readme.split(/^## /m).slice(1)) {
    const heading = section.slice(0, section.indexOf('\n'));
    sections.set(heading, blocksOf(section));
  }
  return sections;
}

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The fenced blocks of the README's Quick start, in order. */
function quickStartBlocks(): Block[] {
  return sectionsOf(README).get(QUICK_START) ?? [];
}

/**
 * The sections that hold `sh` blocks though no spec runs or checks them: every command in the
 * README is run (Quick start) or checked against the files it names (Docker).
 */
function uncheckedShellSections(readme: string): string[] {
  return [...sectionsOf(readme)]
    .filter(([heading]) => heading !== QUICK_START && heading !== DOCKER)
    .filter(([, blocks]) => blocks.some((block) => block.lang === 'sh'))
    .map(([heading]) => heading);
}

/** A repository file's text, or undefined when it does not exist. */
const repositoryFile = (path: string) =>
  existsSync(join(PROJECT_ROOT, path))
    ? readFileSync(join(PROJECT_ROOT, path), 'utf8')
    : undefined;

/**
 * What is wrong with the Docker section's commands, given the repository's files: each must
 * name the Dockerfile docker/check-image.sh replays, the image and the settings
 * docker/compose.yaml uses, and the port and probe it publishes. A line of any other shape is
 * refused, so a command cannot be added to the section without a check here.
 */
function dockerProblems(
  lines: string[],
  read: (path: string) => string | undefined,
): string[] {
  const checkImage = read('docker/check-image.sh') ?? '';
  const compose = read('docker/compose.yaml') ?? '';
  const replayed = /^dockerfile="\$root\/(\S+)"$/m.exec(checkImage)?.[1];
  const composeImage = /^ *image: (\S+)$/m.exec(compose)?.[1] ?? '';
  const composeDockerfile = /^ *dockerfile: (\S+)$/m.exec(compose)?.[1];
  const problems: string[] = [];
  for (const line of lines.map((text) => text.replace(/\s+#.*$/, ''))) {
    let match: RegExpExecArray | null;
    if ((match = /^docker build -f (\S+) -t (\S+) \.$/.exec(line))) {
      const [, dockerfile, tag] = match;
      if (read(dockerfile) === undefined || dockerfile !== replayed)
        problems.push(
          `${line}: ${dockerfile} is not the Dockerfile docker/check-image.sh replays`,
        );
      if (tag.split(':')[0] !== composeImage.split(':')[0])
        problems.push(
          `${line}: the image is ${composeImage} in docker/compose.yaml`,
        );
    } else if ((match = /^export ((?:\w+=\S+ ?)+)$/.exec(line))) {
      for (const [, name] of match[1].matchAll(/(\w+)=/g)) {
        if (!compose.includes(`\${${name}:?`))
          problems.push(
            `${line}: docker/compose.yaml does not require ${name}`,
          );
      }
    } else if ((match = /^docker compose -f (\S+) up --build$/.exec(line))) {
      if (read(match[1]) === undefined || match[1] !== 'docker/compose.yaml')
        problems.push(`${line}: no such compose file`);
      else if (composeDockerfile !== replayed)
        problems.push(
          `${line}: it builds ${composeDockerfile}, not the Dockerfile docker/check-image.sh replays`,
        );
    } else if (
      (match = /^curl -s http:\/\/127\.0\.0\.1:(\d+)(\/\S*)$/.exec(line))
    ) {
      const [, port, path] = match;
      if (!compose.includes(`- "${port}:`))
        problems.push(
          `${line}: docker/compose.yaml does not publish port ${port}`,
        );
      if (!compose.includes(path) || !checkImage.includes(path))
        problems.push(
          `${line}: neither the compose healthcheck nor docker/check-image.sh asks ${path}`,
        );
    } else if ((match = /^bash (docker\/\S+\.sh)$/.exec(line))) {
      if (read(match[1]) === undefined)
        problems.push(`${line}: no such script`);
    } else {
      problems.push(`${line}: not a command this spec can check`);
    }
  }
  return problems;
}

describe("the README's commands outside the Quick start", () => {
  it('are only in the Docker section', () => {
    expect(uncheckedShellSections(README)).toEqual([]);
  });

  it('would be refused in any other section', () => {
    const readme = `# x\n\n## ${QUICK_START}\n\n\`\`\`sh\nnpm ci && npm start\n\`\`\`\n\n## Tests\n\n\`\`\`sh\nnpm test\n\`\`\`\n\n## Pointing\n\n\`\`\`js\nnew Pusher();\n\`\`\`\n`;
    expect(uncheckedShellSections(readme)).toEqual(['Tests']);
  });

  it('in the Docker section name the Dockerfile, image, settings, port and probe the repository uses', () => {
    const lines = (sectionsOf(README).get(DOCKER) ?? [])
      .filter((block) => block.lang === 'sh')
      .flatMap((block) => block.lines);
    expect(lines.some((line) => line.startsWith('docker build '))).toBe(true);
    expect(lines.some((line) => line.startsWith('docker compose '))).toBe(true);
    expect(dockerProblems(lines, repositoryFile)).toEqual([]);
  });

  it('in the Docker section are refused when they drift from the repository', () => {
    expect(
      dockerProblems(
        [
          'docker build -f docker/Dockerfile.old -t pusher-auth .',
          'docker build -f docker/Dockerfile -t someone-else .',
          'export PUSHER_APP_ID=… NOT_A_SETTING=…',
          'docker compose -f docker/compose.yml up --build',
          'curl -s http://127.0.0.1:8080/health/ready',
          'curl -s http://127.0.0.1:3000/healthz',
          'docker run --rm pusher-auth',
        ],
        repositoryFile,
      ),
    ).toEqual([
      'docker build -f docker/Dockerfile.old -t pusher-auth .: docker/Dockerfile.old is not the Dockerfile docker/check-image.sh replays',
      'docker build -f docker/Dockerfile -t someone-else .: the image is pusher-auth:local in docker/compose.yaml',
      'export PUSHER_APP_ID=… NOT_A_SETTING=…: docker/compose.yaml does not require NOT_A_SETTING',
      'docker compose -f docker/compose.yml up --build: no such compose file',
      'curl -s http://127.0.0.1:8080/health/ready: docker/compose.yaml does not publish port 8080',
      'curl -s http://127.0.0.1:3000/healthz: neither the compose healthcheck nor docker/check-image.sh asks /healthz',
      'docker run --rm pusher-auth: not a command this spec can check',
    ]);
  });
});

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

  it('begins with npm ci && npm start, names npm test, and reaches a presence channel', () => {
    expect(blocks[0]).toEqual({ lang: 'sh', lines: ['npm ci && npm start'] });
    // .ci/run installs and tests as the README says: both commands stay findable there.
    expect(README).toContain('`npm test`');
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
