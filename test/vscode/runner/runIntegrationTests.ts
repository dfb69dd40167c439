// Harness side (plain node): runs the integration suite inside code-server by opening the workbench with the test payload.
// Usage: node runIntegrationTests.js <serverUrl> <workspace> <extensionDir> <testsEntry> <resultsFile> <screenshot>
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { openWorkbench } from './openWorkbench';
import { printSuiteResults } from './suiteResults';

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
  return printSuiteResults(resultsFile);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
