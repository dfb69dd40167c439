// Lint rules, including the dependency rule of docs/ARCHITECTURE.md (core, runtimes, adapter and webview never import vscode).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode (see docs/ARCHITECTURE.md).' }] }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'examples/**', 'resources/**', 'bench/node_modules/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**', 'src/adapter/**', 'src/shared/**', 'src/cli/**', 'src/cli.ts', 'src/debugAdapter.ts'], rules: noVscode },
  {
    files: ['src/runtimes/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Runtime code runs inside instances.' }],
        patterns: [{ group: ['**/core/**', '**/extension/**', '**/adapter/**'], message: 'Runtime code may import node builtins and src/shared only.' }],
      }],
    },
  },
  {
    files: ['src/webview/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser.' }],
        patterns: [{ group: ['**/core/**', '**/extension/**', '**/adapter/**', 'node:*'], message: 'Webview code may import src/shared only.' }],
      }],
    },
  },
);
