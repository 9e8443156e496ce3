import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/** Every page a user reads; test/interop/README.md, the examples' and the packages' READMEs are linked from the README. */
const PAGES = [
  'README.md',
  'test/interop/README.md',
  'examples/plugins/README.md',
  ...readdirSync(join(ROOT, 'packages')).map(
    (name) => `packages/${name}/README.md`,
  ),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Lines outside fenced code blocks (a `# comment` in a shell block is no heading). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    return !fenced;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
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

describe.each(PAGES)('%s', (page) => {
  const file = join(ROOT, page);

  it('never points outside the repository', () => {
    expect(readFileSync(file, 'utf8')).not.toContain('../shared');
  });

  it('links only to files and headings that exist in the repository', () => {
    const broken: string[] = [];
    for (const link of linksOf(file)) {
      if (/^(https?:|mailto:)/.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path === '' ? file : resolve(dirname(file), path);
      if (relative(ROOT, target).startsWith('..') || !existsSync(target)) {
        broken.push(`${link} (no such file in the repository)`);
      } else if (
        anchor !== undefined &&
        target.endsWith('.md') &&
        !anchorsOf(target).has(anchor)
      ) {
        broken.push(`${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
