// Layer rules (VS Code's code-layering idea): the runtime a file runs in shows in its path,
// and these rules keep imports honest about it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-output/**', 'bench-output/**', '.data/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['main/core/**', 'main/services/**', 'main/cli/**', 'main/web/**', 'server/**', 'common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'main/core, main/services, main/cli, main/web, server and common run under plain Node: never import electron here.',
            },
          ],
        },
      ],
    },
  },
  {
    // The client's core is the server's peer, not its user: what both need (private files, thread
    // entry, the local account file, the ready line) lives in node-shared/. This block repeats the
    // electron rule because a later block's no-restricted-imports replaces the earlier one.
    files: ['main/core/**', 'node-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'main/core and node-shared run under plain Node: never import electron here.',
            },
          ],
          patterns: [
            {
              group: ['**/server', '**/server/**'],
              message: 'main/core and node-shared must not import server/: move what both need to node-shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**', 'common/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer and common/ run in the browser: no Node built-ins.',
            })),
            { name: 'electron', message: 'The renderer talks to main only through preload/contract.ts.' },
            { name: 'better-sqlite3', message: 'SQLite lives in main/core, not the renderer.' },
          ],
          patterns: [
            { group: ['@aws-sdk/*'], message: 'Storage is reached through the server, not the renderer.' },
            {
              group: ['**/main/**', '**/server/**'],
              allowTypeImports: true,
              message: 'The renderer may import only types from main/ or server/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core is plain Node shared by the command line and the desktop; the domain types it needs
    // live in common/. Its own rule name, so it adds to (never replaces) the core's
    // no-restricted-imports block above.
    files: ['main/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/preload', '**/preload/**'],
              message: 'main/core must not import preload/: the contract and domain types live in common/.',
            },
          ],
        },
      ],
    },
  },
  {
    // State holds no screen: what a slice and a screen both need lives outside features/
    // (renderer/review/, renderer/pdf/). Its own rule name, so the renderer's block above still applies.
    files: ['renderer/store/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features', '**/features/**'],
              message: 'renderer/store must not import renderer/features: move the shared logic out of features/.',
            },
          ],
        },
      ],
    },
  },
  {
    // No function over 80 lines without a reason written beside it (issue 15, item 5): split it, or
    // keep it whole with `// eslint-disable-next-line max-lines-per-function -- <why>`.
    files: ['main/**', 'server/**', 'renderer/**', 'common/**', 'preload/**', 'node-shared/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
