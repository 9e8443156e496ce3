import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The root's Vitest and SWC (the specs import the service's sources, which need decorator
// metadata). Two projects: `npm test` runs the Node suite, `npm run test:browser` the browser one.
export default defineConfig({
  plugins: [swc.vite()],
  test: {
    globals: true,
    environment: 'node',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'interop', include: ['**/*.interop-spec.ts'] },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['browser/**/*.browser-spec.ts'] },
      },
    ],
  },
});
