// Integration-suite entry, run inside the extension host (code-server here, @vscode/test-electron elsewhere): mocha tdd over *.test.js.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Where the harness reads the outcome: LWB_VSCODE_TEST_RESULTS (set by scripts/vscode-tests.sh), else test-results/. */
export const RESULTS_FILE_ENV = 'LWB_VSCODE_TEST_RESULTS';

export interface SuiteResults {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; durationMs?: number; error?: string }[];
}

export function run(): Promise<void> {
  // LWB_VSCODE_TEST_GREP runs only the tests whose full title matches (the extension host inherits the harness's environment).
  const grep = process.env.LWB_VSCODE_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  // LWB_VSCODE_TEST_SUITE names a subfolder of suites that need another workbench (restricted: an untrusted workspace).
  const folder = path.join(__dirname, process.env.LWB_VSCODE_TEST_SUITE ?? '');
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(folder, file));
  }
  const resultsFile = process.env[RESULTS_FILE_ENV] ?? path.resolve(__dirname, '..', '..', '..', 'test-results', 'vscode-results.json');
  const results: SuiteResults = { passed: 0, failed: 0, tests: [] };

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      mkdirSync(path.dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) });
    });
  });
}
