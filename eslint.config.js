// ESLint flat config: JS + typescript-eslint recommended everywhere, eslint-plugin-svelte for
// components and rune modules, and import boundaries that keep the three rooms apart —
// engine/ is platform-neutral (Node only in *.node.ts), src-renderer/ never imports Electron or
// Node. Type-aware rules are left to `tsc` (run by `npm run check`) to keep linting fast.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'url',
  'module',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'test-reports/',
      'playwright-report/',
      'bench-results/',
      'coverage/',
      '.vite/',
      'test/fixtures/',
      '**/*.d.ts',
      // Scratch files other tools leave at the repository root.
      '.tmp*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
      globals: globals.browser,
    },
  },
  {
    // Node-side code: main process, scripts, benchmarks, tests, configs.
    files: [
      'src-main/**',
      'scripts/**',
      'bench/**',
      'test/**',
      'bin/**',
      '*.config.{js,ts,mjs}',
      '**/*.node.ts',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the desktop app only through src-renderer/host.',
            },
          ],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser sandbox: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['engine/**'],
    ignores: ['engine/**/*.node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'engine/ is platform-neutral.' }],
          patterns: [
            {
              group: nodeBuiltins,
              message: 'engine/ is platform-neutral; put Node adapters in a *.node.ts file.',
            },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'engine/ imports no app code.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'engine/ is platform-neutral; inject what you need.' },
        { name: 'window', message: 'engine/ is platform-neutral.' },
        { name: 'document', message: 'engine/ is platform-neutral.' },
        { name: 'require', message: 'engine/ is ESM and platform-neutral.' },
        { name: 'Buffer', message: 'engine/ is platform-neutral; use Uint8Array.' },
        { name: '__dirname', message: 'engine/ is platform-neutral.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use engine/random/rng.ts (seeded) for all randomness.',
        },
      ],
    },
  },
);
