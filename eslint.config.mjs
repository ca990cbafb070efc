// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Top-level folders of the server; a workflow may reach none of them but the domain module (types aside). */
const SERVER_FOLDERS = 'api|activities|bench|cli|db|devices|drill|lib|runtime|services|temporal|test|worker';

export default tseslint.config(
  // lib/.cycle-probe-*: test/lint/layering.test.ts's short-lived probe files.
  { ignores: ['node_modules/', 'dist/', '.bench-dist/', 'data/', '.tools/', 'coverage/', 'test-results/', 'lib/.cycle-probe-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x reads only .js files and no-cycle never follows a TypeScript import.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A server's handler may read a variable assigned once the server is listening.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },

  // ---- The layering, as rules -------------------------------------------------------------
  {
    // Only the worker builds and registers activities; everyone else reaches workflows through
    // temporal/task-workflows. (Workflows may import activity types: see below.) The poll-round
    // benchmark measures one activity on its own, as its tests do.
    files: ['**/*.ts'],
    ignores: ['activities/**', 'worker/**', 'workflows/**', 'test/activities/**', 'bench/poll-round.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\.?/)+activities(/|$)', message: 'Only worker/ imports activities/ (tests of an activity live in test/activities/).' }] },
      ],
    },
  },
  {
    // Workflow code is bundled and replayed: deterministic code only. It imports the SDK, the
    // domain module, its own folder and types; everything else would run inside the sandbox.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/(workflow|common)$)[^.]',
              message: 'Workflows import only @temporalio/workflow, @temporalio/common, the domain module and types.',
            },
            {
              regex: `^(\\.\\./)+(${SERVER_FOLDERS})(/|$)`,
              allowTypeImports: true,
              message: 'Workflows may import only types from outside workflows/ and domain/ (use import type).',
            },
          ],
        },
      ],
    },
  },
  {
    // The rules every layer shares depend on nothing.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'domain/ imports only its own files.' }] }],
    },
  },

  {
    // Tests and benchmarks read loosely shaped JSON replies and load a few modules outside Jest's sandbox.
    files: ['test/**', 'bench/**', 'drill/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard runs in browsers: their globals, and React's hook rules (warnings are errors here too).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.flat['recommended-latest'].rules,
      'react-hooks/exhaustive-deps': 'error',
      'react-hooks/incompatible-library': 'error',
    },
  },
  {
    // Its build config runs in Node.
    files: ['web/vite.config.mts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
