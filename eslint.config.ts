import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/eslintImportBoundaries';

/**
 * `npm run lint`: ESLint's and typescript-eslint's recommended rules, the folder boundaries
 * (lajna/import-boundaries), and promises that must be awaited or explicitly let go (`void`),
 * which needs the type information of the three TypeScript projects.
 */
export default defineConfig(
  { ignores: ['dist/', 'data/', '.tmp/', 'node_modules/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { lajna: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'lajna/import-boundaries': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `_next` completes express's error-handler signature; `{ secret: _s, ...rest }` drops a field.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Solid assigns `let el!: HTMLElement` through the JSX `ref` attribute, which ESLint cannot see.
    files: ['client/**/*.tsx'],
    rules: { 'no-unassigned-vars': 'off' },
  },
  {
    // Tests and benchmarks read the API's JSON as a client would, without the server's types.
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
