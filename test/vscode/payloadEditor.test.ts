// Integration: "Open Event Payload Editor" opens an event file in the custom editor, with the text document as its model.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fixturePath, waitFor } from './helpers';

suite('Event payload editor', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('opens a saved event in the payload editor', async () => {
    await activateExtension();
    const uri = vscode.Uri.file(fixturePath('events', 'hello.json'));
    await vscode.commands.executeCommand('lambdaWorkbench.openPayloadEditor', uri);
    const tab = await waitFor('the payload editor tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.uri.toString() === uri.toString() ? input : undefined;
    });
    assert.equal(tab.viewType, 'lambdaWorkbench.payloadEditor');
  });

  test('opens event files of the tree with the payload editor by default', async () => {
    await activateExtension();
    const uri = vscode.Uri.file(fixturePath('hello-ts', 'events', 'typescript.json'));
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('the default editor tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom ? input : undefined;
    });
    assert.equal(tab.viewType, 'lambdaWorkbench.payloadEditor');
  });
});
