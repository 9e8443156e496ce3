import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests and sources: esbuild (Vitest's default) emits no decorator metadata,
// which Nest's dependency injection reads (settings in tsconfig.json).
export default defineConfig({
  plugins: [swc.vite()],
  test: {
    globals: true,
    environment: 'node',
    include: [
      'src/**/*.spec.ts',
      'test/**/*.{spec,e2e-spec}.ts',
      // The client packages (packages/*, npm workspaces) are tested from their sources.
      'packages/*/{src,test}/**/*.spec.ts',
    ],
    // The interop suite has its own dependencies and config (test/interop/vitest.config.mts).
    exclude: ['**/node_modules/**', '**/dist/**', 'test/interop/**'],
    // One file at a time: the end-to-end files start services, child processes and databases on
    // the one machine PostgreSQL and Redis.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
