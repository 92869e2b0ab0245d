// Lint configuration. The determinism rules for machines/ and impl/ are the reason this file
// exists: a run must replay exactly from its seed, so the model and the implementation may not
// read the wall clock, draw from Math.random, start real timers, or run async code.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nondeterminism = 'breaks determinism: use the simulator (clock, timers, PRNG) instead';
const realIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net'].map(
  (name) => ({ name, message: `real I/O ${nondeterminism}` }),
);

export default defineConfig(
  // stryker.config.mjs is plain configuration that no tsconfig covers; reports/ is Stryker's output.
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.stryker-tmp/**',
      'reports/**',
      'stryker.config.mjs',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { requireDefaultForNonUnion: true, considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The trace viewer's client runs in the browser, bundled into the page: no Node module, and
    // the browser's globals. The type-aware rules get the DOM's types from the client's own
    // tsconfig (the nearest one to its files); `globals` serves the core rules that read them.
    files: ['traces/view/client/**/*.ts'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'console', 'requestAnimationFrame'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:|fs$|path$|os$|url$|esbuild$|zod$)',
              message: 'the viewer client runs in a browser page, not in Node',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['machines/**/*.ts', 'impl/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: `Date.now ${nondeterminism}` },
        { object: 'Math', property: 'random', message: `Math.random ${nondeterminism}` },
        { object: 'performance', property: 'now', message: `performance.now ${nondeterminism}` },
        { object: 'process', property: 'hrtime', message: `process.hrtime ${nondeterminism}` },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'performance'].map(
          (name) => ({ name, message: `${name} ${nondeterminism}` }),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: ':function[async=true]', message: `async code ${nondeterminism}` },
        { selector: 'AwaitExpression', message: `await ${nondeterminism}` },
        { selector: "NewExpression[callee.name='Promise']", message: `Promise ${nondeterminism}` },
        {
          selector: "MemberExpression[object.name='Promise']",
          message: `Promise ${nondeterminism}`,
        },
        { selector: "NewExpression[callee.name='Date']", message: `new Date ${nondeterminism}` },
        { selector: "CallExpression[callee.name='Date']", message: `Date() ${nondeterminism}` },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: realIo,
        },
      ],
    },
  },
  {
    // Two independent descriptions of one protocol catch each other's mistakes only while they
    // stay independent: the implementation never imports the machines (DESIGN.md, "impl/").
    files: ['impl/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: realIo,
          patterns: [
            {
              group: ['**/machines/**', '**/machines'],
              message: 'impl/ must not import the machines; only the harness puts them together',
            },
          ],
        },
      ],
    },
  },
);
