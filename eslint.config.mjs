// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Only the Electron glue may import 'electron'; every service must stay plain
// Node so it runs under vitest and the WebSocket test host (design §2).
const ELECTRON_GLUE = [
  'electron/main/index.ts',
  'electron/main/ipc-binding.ts',
  'electron/main/security.ts',
  'electron/preload/**',
];

const NO_ELECTRON = {
  name: 'electron',
  message:
    'Only electron/main/index.ts, the IPC binding, the security module and the preload may import electron.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'artifacts/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON],
        },
      ],
    },
  },
  {
    files: ELECTRON_GLUE,
    rules: { 'no-restricted-imports': 'off' },
  },
  // The layers of ARCHITECTURE.md: services know nothing of IPC or of the app above them
  // (they throw AppError from shared/errors.ts with a reason and use shared/model.ts);
  // the app layer knows nothing of the transport that carries its handlers.
  {
    files: ['electron/main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON],
          patterns: [
            {
              group: ['**/shared/contract', '**/shared/contract/**'],
              message:
                'Services do not know the IPC contract: use shared/model.ts and shared/errors.ts.',
            },
            {
              group: [
                '**/main/app',
                '**/main/app/**',
                '**/main/ipc',
                '**/main/ipc/**',
                '**/ipc-binding',
              ],
              message: 'Services sit below the app and the IPC layer; they never import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON],
          patterns: [
            {
              group: ['**/ipc', '**/ipc/**', '**/ipc-binding'],
              message: 'The app layer does not know the transport (Electron IPC or the test host).',
            },
          ],
        },
      ],
    },
  },
  // SQL lives in services/store, behind repository methods with names.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/services/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|stmt|pragma)$/]',
          message: 'No raw SQL outside electron/main/services/store: add a repository method.',
        },
        {
          selector: "CallExpression[callee.property.name='exec'][callee.object.property.name='db']",
          message: 'No raw SQL outside electron/main/services/store: add a repository method.',
        },
      ],
    },
  },
  {
    // The emulator is the tests' independent ground truth, written from the API
    // document alone: importing the app's code would let a shared bug pass every test.
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/shared', '**/shared/**', '**/electron', '**/electron/**'],
              message:
                'The emulator imports nothing from the app (shared/, electron/): write it from the API document (emulator/README.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer reaches main only through window.bulkSeller.',
            },
          ],
          patterns: [
            {
              group: ['**/electron/**', 'node:*'],
              message: 'The renderer imports only shared/ and its own code.',
            },
          ],
        },
      ],
    },
  },
);
