// Lint config: typescript-eslint's type-checked rules plus the few rules that keep the
// interpreter honest (no eval, no new Function), the engine quiet (no console outside cli/),
// and the folder picture of the README's architecture section true (import direction, no cycles).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The engine's folders, lowest first. A folder may import from the folders before it (and from
 * the root files errors.ts, version.ts, lazy-modules.ts), never from those after it. README.md,
 * "Architecture", draws the same picture.
 */
const LAYERS = [
  'document',
  'expressions',
  'criteria',
  'sources',
  'http',
  'messaging',
  'model',
  'validate',
  'runtime',
  'report',
  'durable',
  'mcp',
  'cli',
];
const ROOT_FILES = ['src/errors.ts', 'src/version.ts', 'src/lazy-modules.ts'];

const directionZones = [
  ...LAYERS.slice(0, -1).map((layer, index) => ({
    target: `./src/${layer}`,
    from: LAYERS.slice(index + 1).map((upper) => `./src/${upper}`),
    message: `${layer}/ sits below ${LAYERS.slice(index + 1).join(', ')} (README, Architecture).`,
  })),
  {
    target: ROOT_FILES.map((file) => `./${file}`),
    from: LAYERS.map((layer) => `./src/${layer}`),
    message: 'The root files sit below every folder.',
  },
  {
    // The engine never depends on the demo or the test simulator.
    target: ['./src'],
    from: ['./examples', './test', './bench', './scripts'],
    message: 'The engine never imports demo, test or bench code.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'eslint.config.js',
      'scripts/prepare.mjs',
      'src/validate/schema/generated/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/prefer-nullish-coalescing': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: directionZones }],
      // Type-only imports count too: a cycle of types is still a tangle for a reader.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/cli/**', 'bench/**', 'examples/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
