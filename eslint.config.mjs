// ESLint for Mailroom: the layers first, then a few correctness rules. Formatting is Prettier's job.
// Why ESLint's no-restricted-imports rather than dependency-cruiser: docs/decisions/0010-lint-and-format.md.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts', '**/test/**', '**/test-support/**', 'e2e/**', 'bench/**'];

// ---- The layers, as import restrictions. Flat config replaces a rule's options per file instead of
// merging them, so every block below lists all the restrictions that apply to its files.

/** Packages are libraries the apps assemble: none of them reaches back into an app. */
const noApps = [
  { regex: '^@mailroom/(api|worker|webhooks)(/|$)', message: 'packages never import apps: move what both need into a package' },
  { regex: '(^|/)apps/', message: 'packages never import apps: move what both need into a package' },
];

/** Test support (the testkit, test-support/ and test/ folders) never ships with production code. */
const noTestSupport = [
  { regex: '^@mailroom/testkit(/|$)', message: 'production code never imports the testkit: inject what the test needs instead' },
  { regex: '(^|/)testkit/', message: 'production code never imports the testkit: inject what the test needs instead' },
  { regex: '(^|/)(test|test-support)(/|$)', message: 'production code never imports test support' },
];

/** The domain is pure: types, zod schemas, the status ladder. Its only dependency is zod. */
const domainOnlyZod = [
  {
    regex: '^(?!zod(/|$)|\\.{1,2}(/|$))',
    message: 'packages/domain does no I/O and depends on zod only (no node:*, ioredis, bullmq, mongodb, express, nodemailer, @mailroom/*)',
  },
];

const restrictImports = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups.flat() }] });

// ---- Syntax restrictions (one rule, so composed the same way).

/** Config is parsed once, in packages/config; everything else gets it passed down. */
const noProcessEnv = [
  {
    selector: "MemberExpression[object.name='process'][property.name='env'], MemberExpression[object.name='process'][property.value='env']",
    message: 'only packages/config reads process.env: take the parsed config as a parameter',
  },
];

/** Static imports only in the domain, so the layer rule above sees every dependency. */
const noDynamicImports = [
  { selector: "CallExpression[callee.name='require']", message: 'packages/domain imports statically (the layer rule must see it)' },
  { selector: 'ImportExpression', message: 'packages/domain imports statically (the layer rule must see it)' },
];

const restrictSyntax = (...groups) => ({ 'no-restricted-syntax': ['error', ...groups.flat()] });

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', '**/dist-*/', '**/coverage/', 'data/', 'bench/.data/', '.scratch/']),

  // Correctness, for every file.
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.eslintRecommended],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // A promise nobody awaits loses its error and its ordering: in a queue worker that is a lost email.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Run by mongosh inside the mongo container, with mongosh's globals.
    files: ['infra/mongo/*.js'],
    languageOptions: { sourceType: 'script', globals: { db: 'readonly', rs: 'readonly', print: 'readonly', quit: 'readonly' } },
  },
  {
    rules: {
      eqeqeq: ['error', 'always'],
      'no-self-compare': 'error',
      'no-constant-binary-expression': 'error',
      'no-unmodified-loop-condition': 'error',
    },
  },

  // The layers.
  { files: ['packages/**/*.ts'], rules: restrictImports(noApps) },
  { files: ['apps/*/src/**/*.ts'], ignores: TESTS, rules: restrictImports(noTestSupport) },
  { files: ['packages/*/src/**/*.ts'], ignores: TESTS, rules: restrictImports(noApps, noTestSupport) },
  { files: ['packages/domain/src/**/*.ts'], ignores: TESTS, rules: restrictImports(noApps, noTestSupport, domainOnlyZod) },

  // Every callback an e2e test receives is checked against the OpenAPI document's webhooks.
  {
    files: ['e2e/**/*.ts'],
    ignores: ['e2e/support/callback-bodies.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@mailroom/testkit',
              importNames: ['startCallbackReceiver'],
              message:
                "e2e tests start their callback receivers from './support/callback-bodies', which checks each callback against the OpenAPI document",
            },
          ],
        },
      ],
    },
  },

  // Configuration from the environment: packages/config only (scripts, bench and tests set up processes).
  {
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: [...TESTS, 'packages/config/**'],
    rules: restrictSyntax(noProcessEnv),
  },
  { files: ['packages/domain/src/**/*.ts'], ignores: TESTS, rules: restrictSyntax(noProcessEnv, noDynamicImports) },
);
