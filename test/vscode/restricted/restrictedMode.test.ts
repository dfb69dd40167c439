// Integration in Restricted Mode: scripts/vscode-tests.sh opens the fixture workspace untrusted in a second code-server (workspace
// trust enabled, no prompt). The view lists the functions, as package.json's `untrustedWorkspaces: limited` says; invoking,
// debugging and local endpoints refuse, saying why, and test runs wait for the workbench's trust request: nothing starts.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import { descendantsOf } from '../../support/processTree';
import { activateExtension, fixtureTemplateFunctions } from '../helpers';

/** How long a refused action gets to show that it ran nothing after all (it would start a runtime within this). */
const SETTLE_MS = 2_000;

/**
 * VS Code's own port-forwarding probes, which the extension host runs now and then (ExtHostTunnelService): the shell
 * pipelines `ps -F -A -l | grep root` and `ls -l /proc/[0-9]*\/fd/[0-9]* | grep socket:`, seen as the shell and each
 * command of the pipeline.
 */
const WORKBENCH_PROBE = /^(\/bin\/sh -c )?(ps |ls -l \/proc\/)|^grep (root|socket:)$/;

/** Processes the extension host started since the suite began (a runtime, a server, a container client). */
function startedProcesses(before: Set<number>): string[] {
  return descendantsOf(process.pid).filter((entry) => !before.has(entry.pid) && !WORKBENCH_PROBE.test(entry.command)).map((entry) => entry.command);
}

suite('Restricted Mode', () => {
  const warnings: string[] = [];
  const showWarningMessage = vscode.window.showWarningMessage;
  let before: Set<number>;

  suiteSetup(async () => {
    // The refusal is a warning notification: recorded as shown (the real one is shown too), answered with no choice.
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (message: string, ...rest: unknown[]) => {
      warnings.push(message);
      void (showWarningMessage as (m: string, ...r: unknown[]) => Thenable<unknown>)(message, ...rest);
      return Promise.resolve(undefined);
    };
    await activateExtension();
    before = new Set(descendantsOf(process.pid).map((entry) => entry.pid));
  });
  suiteTeardown(() => {
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = showWarningMessage;
  });
  setup(() => {
    warnings.length = 0;
  });

  async function expectRefused(what: string, action: () => Thenable<unknown>, warning: string): Promise<unknown> {
    const result = await action();
    assert.deepEqual(warnings, [`${warning} runs code from this workspace, which is open in Restricted Mode.`], `${what} says why it refuses`);
    await delay(SETTLE_MS);
    assert.deepEqual(startedProcesses(before), [], `${what} started nothing`);
    return result;
  }

  test('the workspace is open in Restricted Mode (trust enabled, not granted)', () => {
    assert.equal(vscode.workspace.getConfiguration('security.workspace.trust').get('enabled'), true);
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the Lambda view still lists the template and its functions (read-only)', async () => {
    const api = await activateExtension();
    assert.deepEqual(await fixtureTemplateFunctions(api), ['HelloJsFunction', 'HelloPyFunction', 'HelloTsFunction']);
  });

  test('Invoke Function refuses and says why', async () => {
    const result = await expectRefused('Invoke', () => vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', event: { name: 'Ada' } }), 'Invoking a function');
    assert.equal(result, undefined);
  });

  test('Debug Function refuses and says why', async () => {
    const result = await expectRefused('Debug', () => vscode.commands.executeCommand('lambdaWorkbench.debugFunction', { functionName: 'HelloJsFunction', event: {} }), 'Debugging a function');
    assert.equal(result, undefined);
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });

  test('Start Local Endpoints refuses and says why', async () => {
    const result = await expectRefused('Start Local Endpoints', () => vscode.commands.executeCommand('lambdaWorkbench.startLocalEndpoints'), 'Starting local endpoints');
    assert.equal(result, undefined);
  });

  test('running or debugging the saved events as tests runs nothing: VS Code asks for trust before any test handler', async () => {
    const api = await activateExtension();
    const reported: string[] = [];
    const subscription = api.onDidReportTest((test) => reported.push(JSON.stringify(test)));
    try {
      // Both stay pending on the workbench's own trust request ("Running tests may execute code in your workspace"), which
      // nobody answers here; the extension's run profiles refuse on their own too (requireTrust) if it ever let one through.
      void vscode.commands.executeCommand('testing.runAll');
      void vscode.commands.executeCommand('testing.debugAll');
      await delay(SETTLE_MS * 2);
      assert.deepEqual(reported, [], 'no test ran');
      assert.deepEqual(startedProcesses(before), [], 'no runtime started');
      assert.equal(vscode.debug.activeDebugSession, undefined);
    } finally {
      subscription.dispose();
    }
  });
});
