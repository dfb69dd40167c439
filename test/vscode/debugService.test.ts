// Integration: F5 sessions run on the window's service: the Lambda view shows their environments, and stopping one ends exactly its own.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import type { InvokeResult } from '../../src/core/service/invocation';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { lambdaSessionsOfSuite } from './debugging';
import { activateExtension, findFunctionNode, logTail, waitFor } from './helpers';

type InstanceNode = Extract<LambdaNode, { kind: 'instance' }>;

async function instancesOf(api: WorkbenchApi, functionName: string): Promise<InstanceNode[]> {
  const node = await findFunctionNode(api, functionName);
  return ((await api.tree.getChildren(node)) ?? []).filter((child): child is InstanceNode => child.kind === 'instance');
}

suite('Debug sessions on the window service', () => {
  const sessions = lambdaSessionsOfSuite();
  const started = sessions.started;

  teardown(async () => {
    await sessions.stopAll();
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('the view marks the debug environment with its port, and stopping the session removes exactly it', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    // A palette invocation of another function: its environment must outlive the debug session.
    const other = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'HelloTsFunction', event: {} });
    assert.equal(other?.functionError, undefined);
    const [otherInstance] = await instancesOf(api, 'HelloTsFunction');
    assert.ok(otherInstance, 'the invoked function has a warm environment');

    const debugStarted = await vscode.commands.executeCommand<boolean>('lambdaWorkbench.debugFunction', { functionName: 'HelloJsFunction', event: { name: 'Shared' } });
    assert.equal(debugStarted, true, await logTail(api));
    const session = await waitFor('the lambda-workbench session', () => started[0]);
    const debugInstance = await waitFor('the debug environment in the Lambda view', async () => (await instancesOf(api, 'HelloJsFunction'))[0], 60_000);
    assert.equal(typeof debugInstance.info.debugPort, 'number');
    const item = await api.tree.getTreeItem(debugInstance);
    assert.match(String(item.description), new RegExp(`^debugging :${debugInstance.info.debugPort} · `));
    assert.match(String(item.description), / · process · /);

    started.splice(started.indexOf(session), 1);
    await vscode.debug.stopDebugging(session);
    await waitFor('the debug environment to leave the view', async () => ((await instancesOf(api, 'HelloJsFunction')).length === 0 ? true : undefined), 30_000);
    const remaining = await instancesOf(api, 'HelloTsFunction');
    assert.deepEqual(remaining.map((node) => node.info.instanceId), [otherInstance.info.instanceId], 'the palette environment still runs');
  });
});
