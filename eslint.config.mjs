// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The rules for all our TypeScript, shared with eslint.interop.config.mjs. */
export const baseConfig = tseslint.config(
  { ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'eslint.config.mjs', 'eslint.interop.config.mjs', 'coverage/**', 'test-output/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.vitest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests poke at responses and internals whose shapes they assert themselves.
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'packages/*/test/**/*.ts', 'packages/*/src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);

export default [
  ...baseConfig,
  // The plugin examples are CommonJS JavaScript as a user writes it: linted, not type-checked.
  { files: ['examples/**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['examples/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The interop suite type-checks against its own dependencies (test/interop/node_modules), which only
  // `npm run test:interop` installs; that command lints it, with eslint.interop.config.mjs.
  { ignores: ['test/interop/**'] },
];
