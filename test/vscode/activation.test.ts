// Integration: the extension activates on the fixture workspace and contributes what its manifest declares.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

suite('Activation', () => {
  test('activates on a workspace holding a SAM template', async () => {
    await activateExtension();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('registers every command the manifest contributes', async () => {
    await activateExtension();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    assert.ok(manifest.contributes.commands.length >= 10);
  });

  test('sets the hasFunctions context and contributes the lambda-workbench debugger', async () => {
    await activateExtension();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { debuggers: { type: string }[] } };
    assert.ok(manifest.contributes.debuggers.some((d) => d.type === 'lambda-workbench'));
  });
});
