import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Every markdown file under `dir` (relative to `root`), sub-folders included (docs/decisions/). */
function markdownUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory())
        return markdownUnder(root, path);
      return name.endsWith('.md') ? [path] : [];
    });
}

/** Every page a user reads: the README, the manual in docs/, and the READMEs it links to. */
const PAGES = [
  'README.md',
  'test/interop/README.md',
  'examples/plugins/README.md',
  ...readdirSync(join(ROOT, 'packages')).map(
    (name) => `packages/${name}/README.md`,
  ),
  ...markdownUnder(ROOT, 'docs'),
];

/** Lines outside fenced code blocks (a `# comment` in a shell block is no heading). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    return !fenced;
  });
}

/**
 * GitHub's heading anchors: lower case, punctuation dropped but `-` and `_`, each space a
 * hyphen, and a repeated heading numbered `-1`, `-2`, … in order.
 */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function linksOf(file: string): string[] {
  const links: string[] = [];
  for (const line of prose(readFileSync(file, 'utf8'))) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) links.push(match[1]);
  }
  return links;
}

const isExternal = (link: string) => /^(https?:|mailto:)/.test(link);

/** The links of `page` whose file is missing, outside `root`, or whose `#anchor` is no heading. */
function brokenLinks(root: string, page: string): string[] {
  const file = join(root, page);
  const broken: string[] = [];
  for (const link of linksOf(file)) {
    if (isExternal(link)) continue;
    const [path, anchor] = link.split('#');
    const target = path === '' ? file : resolve(dirname(file), path);
    if (relative(root, target).startsWith('..')) {
      broken.push(`${link} (outside the repository)`);
    } else if (!existsSync(target)) {
      broken.push(`${link} (no such file in the repository)`);
    } else if (
      anchor !== undefined &&
      target.endsWith('.md') &&
      !anchorsOf(target).has(anchor)
    ) {
      broken.push(`${link} (no such heading)`);
    }
  }
  return broken;
}

/** The pages under docs/ that no chain of links from docs/README.md through docs/ pages reaches. */
function unreachableDocs(root: string): string[] {
  const reached = new Set(['docs/README.md']);
  const queue = ['docs/README.md'];
  for (let page = queue.shift(); page; page = queue.shift()) {
    for (const link of linksOf(join(root, page))) {
      if (isExternal(link)) continue;
      const path = link.split('#')[0];
      if (path === '') continue;
      const target = relative(root, resolve(dirname(join(root, page)), path));
      if (
        target.startsWith('docs/') &&
        target.endsWith('.md') &&
        existsSync(join(root, target)) &&
        !reached.has(target)
      ) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return markdownUnder(root, 'docs').filter((page) => !reached.has(page));
}

describe.each(PAGES)('%s', (page) => {
  it('never points outside the repository', () => {
    expect(readFileSync(join(ROOT, page), 'utf8')).not.toContain('../shared');
  });

  it('links only to files and headings that exist in the repository', () => {
    expect(brokenLinks(ROOT, page)).toEqual([]);
  });
});

describe('the manual', () => {
  it('covers docs/ recursively, the decision records included', () => {
    expect(PAGES).toContain('docs/README.md');
    expect(PAGES).toContain('docs/decisions/README.md');
  });

  it("sends the contract's readers to the generated settings page rather than repeating it", () => {
    expect(linksOf(join(ROOT, 'docs/contract.md'))).toContain(
      'configuration.md',
    );
  });

  it('reaches every page under docs/ by links from docs/README.md', () => {
    expect(unreachableDocs(ROOT)).toEqual([]);
  });
});

/** The checks above, on a small repository of their own, so each is seen to fail. */
describe('the link checks on broken pages', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pusher-auth-links-'));
    write(
      'docs/README.md',
      '# Index\n\n- [Topic](topic.md#usage)\n- [Decisions](decisions/README.md)\n',
    );
    write(
      'docs/topic.md',
      '# Topic\n\n## Usage\n\n## Usage\n\n## Step 1: run it (`npm start`)\n\n```sh\n# not a heading\n```\n',
    );
    write('docs/decisions/README.md', '# Decisions\n\n- [0001](0001-x.md)\n');
    write('docs/decisions/0001-x.md', '# 0001. X\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('accept a sound set of pages', () => {
    expect(markdownUnder(root, 'docs')).toEqual([
      'docs/README.md',
      'docs/decisions/0001-x.md',
      'docs/decisions/README.md',
      'docs/topic.md',
    ]);
    for (const page of markdownUnder(root, 'docs'))
      expect(brokenLinks(root, page)).toEqual([]);
    expect(unreachableDocs(root)).toEqual([]);
  });

  it('follow GitHub: a repeated heading is -1, punctuation is dropped, a code comment is no heading', () => {
    expect([...anchorsOf(join(root, 'docs/topic.md'))]).toEqual([
      'topic',
      'usage',
      'usage-1',
      'step-1-run-it-npm-start',
    ]);
  });

  it('name a link to a heading that does not exist', () => {
    write(
      'docs/decisions/0001-x.md',
      '# 0001. X\n\nSee [usage](../topic.md#usage-2), [the comment](../topic.md#not-a-heading) and [here](#context).\n',
    );
    expect(brokenLinks(root, 'docs/decisions/0001-x.md')).toEqual([
      '../topic.md#usage-2 (no such heading)',
      '../topic.md#not-a-heading (no such heading)',
      '#context (no such heading)',
    ]);
  });

  it('name a link to a missing file or outside the repository', () => {
    write(
      'docs/topic.md',
      '# Topic\n\n[gone](gone.md), [shared](../../shared/README.md)\n',
    );
    expect(brokenLinks(root, 'docs/topic.md')).toEqual([
      'gone.md (no such file in the repository)',
      '../../shared/README.md (outside the repository)',
    ]);
  });

  it('name a page under docs/ that no link from the index reaches', () => {
    write('docs/orphan.md', '# Orphan\n\n[Index](README.md)\n');
    write('docs/decisions/0002-y.md', '# 0002. Y\n');
    expect(unreachableDocs(root)).toEqual([
      'docs/decisions/0002-y.md',
      'docs/orphan.md',
    ]);
  });
});
