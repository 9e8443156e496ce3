import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  bundleService,
  escapeNonAscii,
  EXTERNAL,
  restoreClassNames,
} from '../../scripts/bundle-service';
import { startListeningService } from '../helpers/listening-service';

const ROOT = join(__dirname, '..', '..');
const ASCII_ONLY = /^[\t\n\r\x20-\x7e]*$/;

/** The modules a bundled file still loads at run time, as its require calls name them. */
function requiresOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1])),
  ];
}

describe('the bundled entry (scripts/bundle-service.js)', () => {
  describe('on a project of its own', () => {
    let root: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'pusher-auth-bundle-'));
      write('dist/lib/answer.js', 'exports.answer = () => 42;\n');
      write('dist/plugin/brand.js', 'exports.Brand = class Brand {};\n');
      write(
        'dist/lib/uses-plugin.js',
        'exports.Brand = require("../plugin/brand").Brand;\n',
      );
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('inlines our modules, and leaves the plugin API and the shared packages to be loaded', async () => {
      write(
        'dist/main.js',
        'const { answer } = require("./lib/answer");\n' +
          'const { Brand } = require("./lib/uses-plugin");\n' +
          'const { z } = require("zod");\n' +
          'module.exports = { answer, Brand, z };\n',
      );
      await bundleService(root);
      const loads = requiresOf(join(root, 'dist/main.js'));
      expect(loads).toContain('./plugin/brand');
      expect(loads).toContain('zod');
      expect(loads.filter((name) => name.startsWith('./lib'))).toEqual([]);
      expect(readFileSync(join(root, 'dist/main.js'), 'utf8')).toContain('42');
    });

    it('fails, naming it, when a module cannot be found', async () => {
      write(
        'dist/main.js',
        'require("./lib/answer"); require("no-such-package-anywhere");\n',
      );
      const before = readFileSync(join(root, 'dist/main.js'), 'utf8');
      await expect(bundleService(root)).rejects.toThrow(
        /no-such-package-anywhere/,
      );
      // tsc's entry is left as it was, so nothing half-written is run.
      expect(readFileSync(join(root, 'dist/main.js'), 'utf8')).toBe(before);
    });
  });

  describe('class names (esbuild renames classes; keepNames is off)', () => {
    /** Runs bundled-style code and hands back what it assigned to `X`. */
    const defineX = (code: string) =>
      runInNewContext(
        `var X, X_1, Base = class {}; ${code}; X_1 === undefined ? X : X_1`,
      ) as { name: string };

    it.each([
      ['X=class _X{static make(){return new _X}}', '_X'],
      ['X=class X2{}', 'X2'],
      ['X=class _X extends Base{}', '_X'],
      ['X_1=class X2{}', 'X2'],
    ])('gives %s its source name back', (code, renamed) => {
      expect(defineX(code).name).toBe(renamed);
      expect(defineX(restoreClassNames(code)).name).toBe('X');
    });

    it('leaves a class alone whose name is not one esbuild made from its binding', () => {
      for (const code of ['X=class Other{}', 'X=class X{}', 'X=class{}']) {
        expect(restoreClassNames(code)).toBe(code);
      }
    });

    it('the started service logs under the names Nest gave its classes', async () => {
      const service = await startListeningService();
      try {
        const contexts = new Set(
          service.logLines().map((line) => String(line.context)),
        );
        expect(contexts).toContain('InstanceLoader');
        expect(contexts).toContain('RoutesResolver');
        expect(service.output()).not.toMatch(/_InstanceLoader|Module\d\b/);
        expect(service.output()).toMatch(/TerminusModule dependencies/);
      } finally {
        await service.stop();
      }
    });
  });

  describe('characters outside ASCII (V8 would keep the whole source at two bytes a character)', () => {
    const source = String.raw`({
      latin: /^[A-ZÄÖÜß]+$/i,
      cyrillic: /^[А-Я]+$/i,
      astral: /^[😀]$/u,
      escaped: /^\é$/,
      text: "é \é \\é ÿ",
    })`;
    const samples = ['ÄÖß', 'abc', 'я', 'Я', '😀', 'é', '\\é', ''];

    it('are written as \\u escapes that mean what the characters meant', () => {
      const escaped = escapeNonAscii(source);
      expect(escaped).toMatch(ASCII_ONLY);
      const before = runInNewContext(source) as Record<string, RegExp | string>;
      const after = runInNewContext(escaped) as Record<string, RegExp | string>;
      expect(after.text).toBe(before.text);
      expect(after.text).toBe('é é \\é ÿ');
      for (const name of ['latin', 'cyrillic', 'astral', 'escaped']) {
        const [was, is] = [before[name] as RegExp, after[name] as RegExp];
        expect(samples.map((s) => is.test(s))).toEqual(
          samples.map((s) => was.test(s)),
        );
        expect(samples.some((s) => is.test(s))).toBe(true);
      }
    });

    it('leave an ASCII source as it was', () => {
      const ascii = 'X=class _X{}/* \\u00e9 */;var s="\\\\";';
      expect(escapeNonAscii(ascii)).toBe(ascii);
    });
  });

  describe('the build in dist/ (what npm start, the tests and the image run)', () => {
    const entry = join(ROOT, 'dist/main.js');
    const loads = requiresOf(entry);
    const builtins = new Set(
      builtinModules.flatMap((name) => [name, `node:${name}`]),
    );

    it('is one file: it loads none of our modules but the plugin API, each of which exists', () => {
      const ours = loads.filter((name) => name.startsWith('.'));
      expect(ours.length).toBeGreaterThan(0);
      for (const name of ours) {
        expect(name).toMatch(/^\.\/plugin\//);
        expect(existsSync(join(ROOT, 'dist', `${name}.js`))).toBe(true);
      }
    });

    it('is ASCII only, so V8 holds its source at one byte a character', () => {
      expect(readFileSync(entry, 'utf8')).toMatch(ASCII_ONLY);
    });

    it('requires no module that Node deprecates (from outside node_modules, Node 22+ warns at every start)', () => {
      for (const name of ['punycode', 'sys', '_stream_wrap']) {
        expect(loads).not.toContain(name);
        expect(loads).not.toContain(`node:${name}`);
      }
    });

    it('holds no copy of a package it leaves out', () => {
      const text = readFileSync(entry, 'utf8');
      for (const name of EXTERNAL.filter(
        (pattern: string) => !pattern.endsWith('*'),
      )) {
        expect(text).not.toContain(`"node_modules/${name}/`);
      }
      // Nest itself is inside.
      expect(loads).not.toContain('@nestjs/core');
      expect(loads).not.toContain('@nestjs/common');
      expect(loads.filter((name) => builtins.has(name)).length).toBeGreaterThan(
        0,
      );
    });
  });
});
