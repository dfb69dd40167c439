// Harness side (plain node): runs the same integration suite in a downloaded VS Code through @vscode/test-electron's runTests.
// Usage: node runElectronTests.js <workspace> <extensionDir> <testsEntry> <resultsFile> <userDataDir> <extensionsDir>
import { existsSync } from 'node:fs';
import { download, runTests } from '@vscode/test-electron';
import { printSuiteResults } from './suiteResults';

/** The VS Code release code-server 4.100.3 is built on, so both harnesses run the suite against the same API. */
const DEFAULT_VERSION = '1.100.3';
/** Idle timeout of the download: a machine without network fails at once, a stalled one after this long. */
const DOWNLOAD_TIMEOUT_MS = 20_000;

async function main(): Promise<number> {
  const [workspace, extensionDir, testsEntry, resultsFile, userDataDir, extensionsDir] = process.argv.slice(2);
  if (!extensionsDir) {
    console.error('usage: runElectronTests <workspace> <extensionDir> <testsEntry> <resultsFile> <userDataDir> <extensionsDir>');
    return 2;
  }
  const version = process.env.LWB_VSCODE_VERSION || DEFAULT_VERSION;
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await download({ version, timeout: DOWNLOAD_TIMEOUT_MS });
  } catch (error) {
    console.error(
      `Could not download VS Code ${version} for the Electron test run: ${error instanceof Error ? error.message : String(error)}\n` +
        'npm run test:electron needs to reach the VS Code download servers (a desktop with network access). On a machine ' +
        'without them, run the same suite in code-server: npm run test:vscode (npm test runs it too).',
    );
    return 1;
  }
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath: testsEntry,
      extensionTestsEnv: { LWB_VSCODE_TEST_RESULTS: resultsFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`, `--extensions-dir=${extensionsDir}`],
    });
  } catch (error) {
    // A failing test rejects too: the results file then says which.
    if (!existsSync(resultsFile)) {
      console.error(`VS Code ended without running the suite: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
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
