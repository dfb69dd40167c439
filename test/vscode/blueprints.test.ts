// Integration: scaffolding a blueprint through the command (with arguments) adds a function that then invokes.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ScaffoldResult } from '../../src/core/blueprints';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, childLabels, fixturePath } from './helpers';

suite('Blueprints', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    // The workspace is shared by every suite: later suites see only the fixture's functions.
    rmSync(fixturePath('scaffolded-hello'), { recursive: true, force: true });
  });

  test('scaffolds the hello blueprint into a new folder and lists its function', async () => {
    const api = await activateExtension();
    const targetDir = fixturePath('scaffolded-hello');
    const result = await vscode.commands.executeCommand<ScaffoldResult>('lambdaWorkbench.newFunctionFromBlueprint', {
      blueprintId: 'hello',
      language: 'javascript',
      targetDir,
      functionName: 'ScaffoldedHello',
    });
    assert.ok(result, 'the command returned the scaffold result');
    assert.ok(result.created.length >= 3);
    assert.deepEqual(result.skipped, []);
    assert.ok(result.created.every((file) => file.startsWith(targetDir) && existsSync(file)));

    const roots = (await api.tree.getChildren()) ?? [];
    const labels = await Promise.all(roots.map(async (root) => ({ root, label: String((await api.tree.getTreeItem(root)).label) })));
    const scaffolded = labels.find((entry) => entry.label.startsWith('scaffolded-hello'));
    assert.ok(scaffolded, `the new template is listed: ${labels.map((l) => l.label).join(', ')}`);
    assert.deepEqual(await childLabels(api, scaffolded.root, 'function'), ['ScaffoldedHello']);
  });

  test('invokes the scaffolded function', async () => {
    await activateExtension();
    const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', {
      functionName: 'ScaffoldedHello',
      event: { name: 'Blueprint' },
    });
    assert.ok(result);
    assert.equal(result.functionError, undefined, Buffer.from(result.payload).toString('utf8'));
    assert.match(Buffer.from(result.payload).toString('utf8'), /Blueprint/);
  });

  test('never overwrites files when scaffolding again into the same folder', async () => {
    await activateExtension();
    const result = await vscode.commands.executeCommand<ScaffoldResult>('lambdaWorkbench.newFunctionFromBlueprint', {
      blueprintId: 'hello',
      language: 'javascript',
      targetDir: fixturePath('scaffolded-hello'),
      functionName: 'ScaffoldedHello',
    });
    assert.deepEqual(result.created, []);
    assert.ok(result.skipped.length >= 3);
  });
});
