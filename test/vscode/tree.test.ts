// Integration: the Lambda view lists templates, functions (runtime, handler, backend) and saved events.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, childLabels, findFunctionNode, fixtureTemplateFunctions } from './helpers';

suite('Lambda view', () => {
  test('lists the fixture template and its three functions', async () => {
    const api = await activateExtension();
    assert.deepEqual(await fixtureTemplateFunctions(api), ['HelloJsFunction', 'HelloPyFunction', 'HelloTsFunction']);
  });

  test('describes a function by runtime, handler and backend', async () => {
    const api = await activateExtension();
    const item = await api.tree.getTreeItem(await findFunctionNode(api, 'HelloJsFunction'));
    assert.match(String(item.description), /^nodejs20\.x · app\.handler · process/);
    // This machine has bubblewrap (scripts/setup.sh): the view says the process runs in Lambda's filesystem.
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip);
    assert.match(tooltip, /Runs as: process \(sandboxed with bubblewrap: code read-only at \/var\/task/);
    assert.equal(item.contextValue?.startsWith('function'), true);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  });

  test('lists saved events next to the template and in the function folder', async () => {
    const api = await activateExtension();
    const jsEvents = await childLabels(api, await findFunctionNode(api, 'HelloJsFunction'), 'event');
    assert.deepEqual(jsEvents.filter((label) => label === 'fail' || label === 'hello'), ['fail', 'hello']);
    const tsEvents = await childLabels(api, await findFunctionNode(api, 'HelloTsFunction'), 'event');
    assert.deepEqual(tsEvents.slice(0, 3), ['typescript', 'fail', 'hello'], 'the function folder first, then the shared events');
  });
});
