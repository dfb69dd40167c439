// Lint rules, including the whole dependency rule of docs/ARCHITECTURE.md (no-restricted-imports per folder).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Relative imports reaching into a top-level folder of src (`../cli/...`, `../../adapter`). */
const folders = (...names) => names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

/**
 * One layer of the dependency rule: the folders (and vscode, npm packages or anything outside the layer's own folder)
 * that files of this layer must not import.
 */
function layer(files, message, { forbiddenFolders = [], vscode = true, onlyMatching } = {}) {
  const patterns = [];
  if (forbiddenFolders.length) patterns.push({ group: folders(...forbiddenFolders), message });
  // A specifier that does not match `onlyMatching` is refused (e.g. runtimes: node builtins and relative paths only).
  if (onlyMatching) patterns.push({ regex: `^(?!${onlyMatching})`, message });
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: vscode ? [{ name: 'vscode', message }] : [], patterns }],
    },
  };
}

const rule = 'see the dependency rule in docs/ARCHITECTURE.md';

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
  layer(['src/shared/**'], `src/shared imports nothing: it holds constants and types every side shares (${rule}).`, {
    onlyMatching: '\\./',
  }),
  layer(['src/core/**'], `src/core is the engine: it imports no front end and never vscode (${rule}).`, {
    forbiddenFolders: ['extension', 'adapter', 'cli', 'webview', 'runtimes'],
  }),
  layer(['src/runtimes/**'], `Runtime code runs inside instances: node builtins (node:...) and src/shared only (${rule}).`, {
    forbiddenFolders: ['core', 'extension', 'adapter', 'cli', 'webview'],
    onlyMatching: 'node:|\\.',
  }),
  layer(['src/cli/**', 'src/cli.ts', 'src/cliEntry.ts'], `The CLI imports neither the debug adapter nor the extension (${rule}).`, {
    forbiddenFolders: ['extension', 'adapter', 'webview', 'runtimes'],
  }),
  layer(['src/adapter/**', 'src/debugAdapter.ts'], `The debug adapter imports neither the extension nor the CLI, and never vscode (${rule}).`, {
    forbiddenFolders: ['extension', 'cli', 'webview', 'runtimes'],
  }),
  layer(['src/extension/**', 'src/extension.ts', 'src/extensionEntry.ts'], `The extension uses the engine and the adapter, not the CLI (${rule}).`, {
    forbiddenFolders: ['cli', 'webview', 'runtimes'],
    vscode: false,
  }),
  layer(['src/webview/**'], `Webview code runs in the browser: src/shared and jsonc-parser only (${rule}).`, {
    forbiddenFolders: ['core', 'extension', 'adapter', 'cli', 'runtimes'],
    onlyMatching: '\\.|jsonc-parser$',
  }),
);
