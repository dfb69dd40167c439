// Runs INSIDE a VS Code extension host (code-server, as an extensionTestsPath module): activates Lambda Workbench
// once and appends the activation time as one JSON line to the file named by LWB_BENCH_ACTIVATION_RESULTS.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { ACTIVATION_RESULTS_ENV, type ActivationResultLine } from './activationResults';

const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

function append(file: string, line: ActivationResultLine): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

export async function run(): Promise<void> {
  const resultsFile = process.env[ACTIVATION_RESULTS_ENV];
  if (resultsFile === undefined) throw new Error(`${ACTIVATION_RESULTS_ENV} is not set`);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) {
    append(resultsFile, { error: `extension ${EXTENSION_ID} is not loaded` });
    return;
  }
  if (extension.isActive) {
    append(resultsFile, { error: 'the extension was already active: a startup event activated it' });
    return;
  }
  // What VS Code counts as activation: loading the bundled main module and running activate().
  const start = performance.now();
  await extension.activate();
  append(resultsFile, { activationMs: performance.now() - start });
}
