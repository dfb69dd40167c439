// Harness side (plain node): runs the integration suite inside code-server by opening the workbench with the test payload.
// Usage: node runIntegrationTests.js <serverUrl> <workspace> <extensionDir> <testsEntry> <resultsFile> <screenshot>
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { SuiteResults } from '../index';
import { openWorkbench } from './openWorkbench';

const POLL_MS = 500;
const SUITE_TIMEOUT_MS = 15 * 60_000;

async function main(): Promise<number> {
  const [serverUrl, workspace, extensionDir, testsEntry, resultsFile, screenshot] = process.argv.slice(2);
  if (!screenshot) {
    console.error('usage: runIntegrationTests <serverUrl> <workspace> <extensionDir> <testsEntry> <resultsFile> <screenshot>');
    return 2;
  }
  const authority = new URL(serverUrl).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDir}`],
    ['extensionTestsPath', `vscode-remote://${authority}${testsEntry}`],
  ];
  const url = `${serverUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const workbench = await openWorkbench(url);
  try {
    const deadline = Date.now() + SUITE_TIMEOUT_MS;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) {
        console.error(`No results in ${resultsFile} after ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
        return 1;
      }
      await delay(POLL_MS);
    }
    await workbench.page.screenshot({ path: screenshot }).catch((error: unknown) => console.error(`screenshot failed: ${String(error)}`));
  } finally {
    await workbench.close();
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
  for (const test of results.tests) {
    console.log(`${test.state === 'passed' ? '  ok  ' : '  FAIL'} ${test.title}`);
    if (test.error) console.log(test.error.replace(/^/gm, '        '));
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
