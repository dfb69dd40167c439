// Integration: the launch configurations offered for the workspace's functions ("create a launch.json file", the Run and Debug list).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LaunchConfigurationProvider } from '../../src/extension/debug/launchConfigurationProvider';
import { FunctionCatalog } from '../../src/extension/services/functionCatalog';
import { RememberedParameters } from '../../src/extension/services/rememberedParameters';
import { activateExtension, fixturePath } from './helpers';

suite('Launch configurations', () => {
  let catalog: FunctionCatalog;
  suiteSetup(() => {
    // A catalog of its own, with no remembered parameter values (the fixture's parameters all have a Default).
    const noValues = { keys: () => [], get: () => undefined, update: async () => undefined } as unknown as vscode.Memento;
    catalog = new FunctionCatalog(new RememberedParameters(noValues));
  });
  suiteTeardown(() => catalog.dispose());

  test('one entry per function, workspace-relative, with its first saved event; the open handler\'s function first', async () => {
    await activateExtension();
    await vscode.window.showTextDocument(vscode.Uri.file(fixturePath('hello-ts', 'app.ts')));
    const folder = vscode.workspace.workspaceFolders?.[0];
    const entries = await new LaunchConfigurationProvider(catalog).provideDebugConfigurations(folder);
    assert.deepEqual(entries[0], {
      type: 'lambda-workbench',
      request: 'launch',
      name: 'Debug HelloTsFunction',
      template: '${workspaceFolder}/template.yaml',
      function: 'HelloTsFunction',
      eventFile: '${workspaceFolder}/hello-ts/events/typescript.json',
    });
    assert.deepEqual(entries.map((entry) => entry.function).sort(), ['HelloJsFunction', 'HelloPyFunction', 'HelloTsFunction']);
  });

  test('a template that does not exist is refused before launching, naming the templates there are', async () => {
    await activateExtension();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = { type: 'lambda-workbench', request: 'launch', name: 'Stale', template: 'missing/template.yaml', function: 'HelloJsFunction' };
    const provider = new LaunchConfigurationProvider(catalog);
    assert.equal(await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, config), undefined);
    assert.equal(
      await provider.missingTemplateMessage('Stale', fixturePath('missing', 'template.yaml'), folder),
      `Launch configuration "Stale": the template ${fixturePath('missing', 'template.yaml')} does not exist. Set "template" to "\${workspaceFolder}/template.yaml", or remove the entry and press F5 to debug the function of the open handler.`,
    );
  });
});
