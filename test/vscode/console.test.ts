// Integration: the Lambda view as the console: Publish Version, Create Alias and Set Reserved Concurrency, and the
// versions and aliases listed under the function.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AliasRecord, VersionRecord } from '../../src/core/functions/functionRecords';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, childLabels, findFunctionNode, logChannelText, waitFor } from './helpers';

suite('Lambda console', () => {
  test('Publish Version snapshots the function and lists the version under it; unchanged code publishes nothing new', async () => {
    const api = await activateExtension();
    const published = await vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction', description: 'from the console' });
    assert.ok(published, 'Publish Version returns the version');
    assert.match(published.version, /^\d+$/);
    assert.equal(published.description, 'from the console');
    const again = await vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction', description: 'again' });
    assert.equal(again?.version, published.version, 'the same code and configuration keep their version');

    const node = await findFunctionNode(api, 'HelloJsFunction');
    assert.ok((await childLabels(api, node, 'version')).includes(`version ${published.version}`));
    const versionNode = ((await api.tree.getChildren(node)) ?? []).find((child) => child.kind === 'version');
    assert.ok(versionNode);
    const item = await api.tree.getTreeItem(versionNode);
    assert.equal(item.contextValue, 'version');
    assert.match(String(item.description), /^from the console · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('Create Alias points an alias at a version and the view lists it with its target', async () => {
    const api = await activateExtension();
    const version = (await vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction' }))?.version;
    assert.ok(version);
    const alias = await vscode.commands.executeCommand<AliasRecord>('lambdaWorkbench.createAlias', { functionName: 'HelloJsFunction', name: 'console', functionVersion: version });
    assert.equal(alias?.functionVersion, version);
    const node = await findFunctionNode(api, 'HelloJsFunction');
    const aliasNode = ((await api.tree.getChildren(node)) ?? []).find((child) => child.kind === 'alias' && child.alias.name === 'console');
    assert.ok(aliasNode, `aliases listed: ${(await childLabels(api, node, 'alias')).join(', ')}`);
    assert.equal(String((await api.tree.getTreeItem(aliasNode)).description), `-> ${version}`);
    // An existing alias is refused as Lambda refuses it, and nothing changes.
    const duplicate = await vscode.commands.executeCommand('lambdaWorkbench.createAlias', { functionName: 'HelloJsFunction', name: 'console', functionVersion: '$LATEST' });
    assert.equal(duplicate, undefined);
  });

  test('Set Reserved Concurrency 0 throttles the function as Lambda does; removing the reservation lets it run again', async () => {
    const api = await activateExtension();
    const setReserved = (reservedConcurrency: number | undefined) =>
      vscode.commands.executeCommand('lambdaWorkbench.setReservedConcurrency', { functionName: 'HelloJsFunction', reservedConcurrency });
    const invoke = () => vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', event: { name: 'Reserved' } });
    assert.equal(await setReserved(0), 0);
    try {
      assert.equal(await invoke(), undefined, 'a throttled invocation returns no result');
      await waitFor('the throttle in the log', async () => ((await logChannelText(api)).includes('TooManyRequestsException: Rate Exceeded.') ? true : undefined));
    } finally {
      assert.equal(await setReserved(undefined), undefined);
    }
    assert.equal((await invoke())?.statusCode, 200);
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });
});
