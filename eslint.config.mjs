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
          paths: [
            {
              name: 'electron',
              message:
                'Only electron/main/index.ts, the IPC binding, the security module and the preload may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ELECTRON_GLUE,
    rules: { 'no-restricted-imports': 'off' },
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
