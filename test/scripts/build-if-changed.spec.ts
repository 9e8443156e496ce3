import {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  isBuildFresh,
  recordBuild,
  sourceFingerprint,
} from '../../scripts/build-if-changed';

/** A project folder with sources and a build of them, in a temporary directory. */
describe('the build freshness check behind npm start', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const built = () => recordBuild(root, sourceFingerprint(root));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pusher-auth-freshness-'));
    write('src/main.ts', 'export const a = 1;\n');
    write('src/cli/main.ts', 'export const b = 2;\n');
    write('tsconfig.json', '{}\n');
    write('package-lock.json', '{"lockfileVersion":3}\n');
    write('dist/main.js', '');
    write('dist/cli/main.js', '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('needs a build until one is recorded, then not while nothing changes', () => {
    expect(isBuildFresh(root)).toBe(false);
    built();
    expect(isBuildFresh(root)).toBe(true);
    // Times are not contents: a touch or a checkout of the same text changes nothing.
    utimesSync(join(root, 'src/main.ts'), new Date(), new Date(2030, 0, 1));
    expect(isBuildFresh(root)).toBe(true);
  });

  it.each([
    ['a changed source', () => write('src/main.ts', 'export const a = 2;\n')],
    ['a new source', () => write('src/extra.ts', 'export {};\n')],
    ['a deleted source', () => unlinkSync(join(root, 'src/cli/main.ts'))],
    [
      'a renamed source',
      () => renameSync(join(root, 'src/main.ts'), join(root, 'src/app.ts')),
    ],
    ['a changed tsconfig', () => write('tsconfig.json', '{"strict":true}\n')],
    ['changed dependencies', () => write('package-lock.json', '{}\n')],
    [
      'a missing compiled CLI',
      () => unlinkSync(join(root, 'dist/cli/main.js')),
    ],
  ])('rebuilds after %s', (_, change) => {
    built();
    change();
    expect(isBuildFresh(root)).toBe(false);
  });

  it('is fresh again once the sources are back as they were built', () => {
    built();
    write('src/main.ts', 'export const a = 2;\n');
    expect(isBuildFresh(root)).toBe(false);
    write('src/main.ts', 'export const a = 1;\n');
    expect(isBuildFresh(root)).toBe(true);
  });
});
