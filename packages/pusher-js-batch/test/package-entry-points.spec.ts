import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';

const PACKAGE = join(__dirname, '..');
const NAME = '@pusher-auth/pusher-js-batch';

/** What a consumer reaches: the exports map, from a file outside the package's sources. */
function resolveFrom(condition: 'import' | 'require'): string {
  const script =
    condition === 'import'
      ? `import(${JSON.stringify(NAME)}).then((m) => console.log(JSON.stringify([import.meta.resolve(${JSON.stringify(NAME)}), Object.keys(m).sort()])))`
      : `console.log(JSON.stringify([require.resolve(${JSON.stringify(NAME)}), Object.keys(require(${JSON.stringify(NAME)})).sort()]))`;
  return execFileSync(
    process.execPath,
    condition === 'import'
      ? ['--input-type=module', '-e', script]
      : ['-e', script],
    { cwd: PACKAGE, encoding: 'utf8' },
  );
}

describe(`${NAME} as built (npm run build)`, () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: PACKAGE, stdio: 'pipe' });
  }, 120_000);

  it('serves ES modules to import and CommonJS to require, with the same exports', () => {
    const exports = ['ChannelAuthorizationError', 'batchChannelAuthorization'];

    expect(JSON.parse(resolveFrom('import'))).toEqual([
      expect.stringMatching(/\/dist\/esm\/index\.js$/),
      exports,
    ]);
    expect(JSON.parse(resolveFrom('require'))).toEqual([
      expect.stringMatching(/\/dist\/cjs\/index\.js$/),
      exports,
    ]);
  });

  it('ships type declarations beside each build', () => {
    const manifest = JSON.parse(
      readFileSync(join(PACKAGE, 'package.json'), 'utf8'),
    );
    for (const condition of ['import', 'require']) {
      const types = manifest.exports['.'][condition].types as string;
      expect(readFileSync(join(PACKAGE, types), 'utf8')).toContain(
        'batchChannelAuthorization',
      );
    }
  });

  it('defines window.PusherAuthBatch from a plain script, with nothing but browser globals', () => {
    const window: Record<string, unknown> = {
      fetch,
      Headers,
      URLSearchParams,
      AbortController,
      setTimeout,
      clearTimeout,
    };
    window.window = window;
    window.self = window;
    const context = createContext(window);

    runInContext(
      readFileSync(join(PACKAGE, 'dist/browser.js'), 'utf8'),
      context,
    );

    const global = window.PusherAuthBatch as Record<string, unknown>;
    expect(Object.keys(global).sort()).toEqual([
      'ChannelAuthorizationError',
      'batchChannelAuthorization',
    ]);
    expect(
      runInContext(
        'typeof PusherAuthBatch.batchChannelAuthorization({ endpoint: "/apps/chat/pusher/auth" })',
        context,
      ),
    ).toBe('function');
  });
});
