// Integration: the Lambda view as the console: Publish Version, Create / Update Alias, Invoke a version or alias and Set
// Reserved Concurrency, and the versions and aliases listed under the function.
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { zipDirectory } from '../../src/core/build/zipPackage';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { AliasRecord, VersionRecord } from '../../src/core/functions/functionRecords';
import type { InvokeResult } from '../../src/core/service/invocation';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { activateExtension, childLabels, findFunctionNode, fixturePath, logChannelText, removeFunctionProject, waitFor, writeFunctionProject } from './helpers';

/** What a handler of the alias project returned: the code it ran as. */
function ranCode(result: InvokeResult | undefined): string {
  assert.ok(result, 'the invocation returned a result');
  return (JSON.parse(Buffer.from(result.payload).toString('utf8')) as { code: string }).code;
}

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

  test('Invoke runs the version or alias node it is given; Update Alias moves the alias and splits its invocations by weight', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('alias-console');
    const handler = (code: string) => [`exports.handler = async () => ({ code: '${code}' });`];
    await writeFunctionProject(folder, 'AliasConsoleFunction', handler('one'));
    try {
      const functionNode = await waitFor('the new function in the view', () => findFunctionNode(api, 'AliasConsoleFunction').catch(() => undefined));
      const publish = () => vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'AliasConsoleFunction' });
      const one = (await publish())?.version;
      // The edited code is seen (the function is cold: nothing reloads it) and published as a new version.
      await writeFunctionProject(folder, 'AliasConsoleFunction', handler('two'));
      const two = await waitFor('a version of the edited code', async () => {
        const version = (await publish())?.version;
        return version !== one ? version : undefined;
      });
      assert.ok(one && two && Number(two) === Number(one) + 1, `versions ${one} and ${two}`);
      await vscode.commands.executeCommand('lambdaWorkbench.createAlias', { functionName: 'AliasConsoleFunction', name: 'live', functionVersion: one });
      // The event the view's Invoke re-runs with.
      assert.equal(ranCode(await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'AliasConsoleFunction', event: {} })), 'two');

      const child = async <K extends LambdaNode['kind']>(kind: K, label: string) => {
        for (const node of (await api.tree.getChildren(functionNode)) ?? []) {
          if (node.kind === kind && (await api.tree.getTreeItem(node)).label === label) return node;
        }
        throw new Error(`no ${label} under the function: ${(await childLabels(api, functionNode)).join(', ')}`);
      };
      const invokeNode = (node: LambdaNode) => vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', node);
      // A version node runs its snapshot, the alias node the version it points at.
      const versionOne = await invokeNode(await child('version', `version ${one}`));
      assert.equal(ranCode(versionOne), 'one');
      assert.equal(versionOne.executedVersion, one);
      const viaAlias = await invokeNode(await child('alias', 'alias live'));
      assert.equal(ranCode(viaAlias), 'one');
      assert.equal(viaAlias.executedVersion, one);
      await waitFor('the qualified invocation in the log', async () => ((await logChannelText(api)).includes(`Invoked AliasConsoleFunction:live: version ${one} ran (RequestId ${viaAlias.requestId}).`) ? true : undefined));

      // Update Alias: the alias now points at the new version and sends half of its invocations to the old one.
      const updated = await vscode.commands.executeCommand<AliasRecord>('lambdaWorkbench.updateAlias', {
        functionName: 'AliasConsoleFunction', name: 'live', functionVersion: two, additionalVersion: one, weight: 0.5,
      });
      assert.deepEqual([updated?.functionVersion, updated?.additionalVersionWeights], [two, { [one]: 0.5 }]);
      const weighted = await child('alias', 'alias live');
      assert.equal(String((await api.tree.getTreeItem(weighted)).description), `-> ${two}, 50% to ${one}`);
      const ran = new Map<string, number>();
      for (let i = 0; i < 40; i++) {
        const result = await invokeNode(weighted);
        assert.equal(ranCode(result), result.executedVersion === one ? 'one' : 'two', 'X-Amz-Executed-Version names the version that ran');
        ran.set(result.executedVersion, (ran.get(result.executedVersion) ?? 0) + 1);
      }
      assert.deepEqual([...ran.keys()].sort(), [one, two].sort(), `both versions ran: ${JSON.stringify([...ran])}`);

      // Removing the routing sends everything to the alias's version again.
      await vscode.commands.executeCommand('lambdaWorkbench.updateAlias', { functionName: 'AliasConsoleFunction', name: 'live', additionalVersion: null });
      const single = await child('alias', 'alias live');
      assert.equal(String((await api.tree.getTreeItem(single)).description), `-> ${two}`);
      for (let i = 0; i < 5; i++) assert.equal(ranCode(await invokeNode(single)), 'two');
      // An alias that does not exist is refused as UpdateAlias refuses it.
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.updateAlias', { functionName: 'AliasConsoleFunction', name: 'missing', functionVersion: one }), undefined);
      await waitFor('the refusal in the log', async () => ((await logChannelText(api)).includes('Update Alias failed: ResourceNotFoundException: Alias not found: ') ? true : undefined));
    } finally {
      await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
      await removeFunctionProject(api, folder, 'AliasConsoleFunction');
    }
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

  test('lists a function created through the local Lambda API under "Lambda API", and Delete Function removes it', async () => {
    const api = await activateExtension();
    const running = await vscode.commands.executeCommand<RunningEndpoints>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    assert.ok(running);
    const scratch = mkdtempSync(path.join(tmpdir(), 'lwb-console-'));
    const client = new LambdaClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const zip = readFileSync((await zipDirectory(fixturePath('hello-js'), path.join(scratch, 'code.zip'))).zipPath);
      await client.send(new CreateFunctionCommand({
        FunctionName: 'console-made', Runtime: 'nodejs20.x', Handler: 'app.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: zip },
      }));
      const group = await waitFor('the Lambda API group', async () => ((await api.tree.getChildren()) ?? []).find((node) => node.kind === 'apiFunctions'));
      const made = ((await api.tree.getChildren(group)) ?? []).find((node) => node.kind === 'function' && node.spec.functionName === 'console-made');
      assert.ok(made, 'the API-made function is listed');
      assert.equal((await api.tree.getTreeItem(made)).contextValue, 'function.api');
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.deleteFunction', { functionName: 'console-made', confirmed: true }), true);
      assert.deepEqual(((await api.tree.getChildren()) ?? []).filter((node) => node.kind === 'apiFunctions'), []);
      // Template functions belong to their template: Delete Function refuses them.
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.deleteFunction', { functionName: 'HelloJsFunction', confirmed: true }), undefined);
      assert.ok(await findFunctionNode(api, 'HelloJsFunction'));
    } finally {
      client.destroy();
      rmSync(scratch, { recursive: true, force: true });
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    }
  });

  test('Reset State forgets the published versions and aliases (publishing starts again at 1); template functions stay', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction' });
    const version = (await vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction' }))?.version;
    assert.ok(version);
    await vscode.commands.executeCommand('lambdaWorkbench.createAlias', { functionName: 'HelloJsFunction', name: 'before-reset', functionVersion: version });
    const listed = async () => childLabels(api, await findFunctionNode(api, 'HelloJsFunction')).then((labels) => labels.filter((label) => /^(version|alias) /.test(label)));
    assert.ok((await listed()).includes('alias before-reset'));

    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.resetState', { confirmed: true }), true);
    assert.deepEqual(await listed(), []);
    await waitFor('the reset in the log', async () => ((await logChannelText(api)).includes('State reset: removed ') ? true : undefined));
    const first = await vscode.commands.executeCommand<VersionRecord>('lambdaWorkbench.publishVersion', { functionName: 'HelloJsFunction' });
    assert.equal(first?.version, '1');
    assert.deepEqual(await listed(), ['version 1']);
  });
});
