// The dependency rule of docs/ARCHITECTURE.md as ESLint enforces it: probe files of each layer linted through ESLint's Node API.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const REPO = resolve(__dirname, '../../..');

/** [file of a layer, import specifier, refused by the rule?]; the probe files are linted as text, never written. */
const CASES: Array<[string, string, boolean]> = [
  ['src/core/service/probe.ts', 'vscode', true],
  ['src/core/service/probe.ts', '../../extension/services/serviceHost', true],
  ['src/core/service/probe.ts', '../../adapter/lambdaDebugSession', true],
  ['src/core/service/probe.ts', '../../cli/commandTable', true],
  ['src/core/service/probe.ts', '../../webview/payloadEditor', true],
  ['src/core/service/probe.ts', '../../shared/runtimeProtocol', false],
  ['src/core/service/probe.ts', '../instances/instance', false],
  ['src/core/service/probe.ts', 'chokidar', false],
  ['src/adapter/probe.ts', '../extension/services/serviceHost', true],
  ['src/adapter/probe.ts', '../cli/commandTable', true],
  ['src/adapter/probe.ts', 'vscode', true],
  ['src/adapter/probe.ts', '../core/service/lambdaService', false],
  ['src/adapter/probe.ts', '@vscode/debugadapter', false],
  ['src/debugAdapter.ts', './extension/services/serviceHost', true],
  ['src/cli/probe.ts', '../adapter/lambdaDebugSession', true],
  ['src/cli/commands/probe.ts', '../../extension/services/serviceHost', true],
  ['src/cli/probe.ts', 'vscode', true],
  ['src/cli.ts', './adapter/lambdaDebugSession', true],
  ['src/cli/probe.ts', '../core/service/lambdaService', false],
  ['src/extension/probe.ts', '../cli/commandTable', true],
  ['src/extension/probe.ts', '../adapter/lambdaDebugSession', false],
  ['src/extension/probe.ts', 'vscode', false],
  ['src/runtimes/node/probe.ts', 'node:http', false],
  ['src/runtimes/node/probe.ts', '../../shared/runtimeProtocol', false],
  ['src/runtimes/node/probe.ts', '../../core/common/errors', true],
  ['src/runtimes/node/probe.ts', 'yaml', true],
  ['src/runtimes/node/probe.ts', 'http', true],
  ['src/webview/probe.ts', '../shared/webviewProtocol', false],
  ['src/webview/probe.ts', '../core/common/errors', true],
  ['src/webview/probe.ts', 'node:fs', true],
  ['src/webview/probe.ts', 'vscode', true],
  ['src/shared/probe.ts', './runtimeProtocol', false],
  ['src/shared/probe.ts', '../core/common/errors', true],
  ['src/shared/probe.ts', 'node:fs', true],
];

describe('dependency rule (eslint.config.mjs)', () => {
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({ cwd: REPO });
  });

  for (const [file, specifier, refused] of CASES) {
    it(`${refused ? 'refuses' : 'allows'} '${specifier}' in ${file}`, async () => {
      const code = `// Probe.\nimport * as probe from '${specifier}';\nexport const used = probe;\n`;
      const [result] = await eslint.lintText(code, { filePath: resolve(REPO, file) });
      const ruleMessages = result.messages.filter((message) => message.ruleId === 'no-restricted-imports');
      const otherErrors = result.messages.filter((message) => message.ruleId !== 'no-restricted-imports' && message.severity === 2);
      assert.deepEqual(otherErrors, [], 'the probe itself lints clean');
      if (refused) {
        assert.ok(ruleMessages.length > 0, `expected the rule to refuse '${specifier}' in ${file}`);
        for (const message of ruleMessages) assert.match(message.message, /docs\/ARCHITECTURE\.md/);
      } else {
        assert.deepEqual(ruleMessages, [], `expected '${specifier}' to be allowed in ${file}`);
      }
    });
  }

  it('finds no violation in the sources as they are', async () => {
    const results = await eslint.lintFiles(['src']);
    const violations = results.flatMap((result) =>
      result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => `${result.filePath}:${message.line} ${message.message}`),
    );
    assert.deepEqual(violations, []);
  });
});
