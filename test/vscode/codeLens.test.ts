// Integration: "Invoke | Debug" CodeLens over the handlers the template references, in JavaScript, TypeScript and Python.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fixturePath, waitFor } from './helpers';

async function lensesOf(...segments: string[]): Promise<vscode.CodeLens[]> {
  const uri = vscode.Uri.file(fixturePath(...segments));
  await vscode.workspace.openTextDocument(uri);
  return waitFor(`CodeLens in ${segments.join('/')}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const ours = lenses.filter((lens) => lens.command?.command.startsWith('lambdaWorkbench.'));
    return ours.length > 0 ? ours : undefined;
  });
}

suite('Handler CodeLens', () => {
  test('offers Invoke and Debug on the exported JavaScript handler line', async () => {
    await activateExtension();
    const lenses = await lensesOf('hello-js', 'app.js');
    assert.deepEqual(lenses.map((l) => l.command?.command), ['lambdaWorkbench.invokeFunction', 'lambdaWorkbench.debugFunction']);
    assert.deepEqual(lenses[0].command?.arguments, [{ functionName: 'HelloJsFunction' }]);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(fixturePath('hello-js', 'app.js')));
    assert.match(document.lineAt(lenses[0].range.start.line).text, /^exports\.handler = /);
  });

  test('finds the TypeScript entry point of an esbuild-built function', async () => {
    await activateExtension();
    const lenses = await lensesOf('hello-ts', 'app.ts');
    assert.equal(lenses[0].command?.arguments?.[0].functionName, 'HelloTsFunction');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(fixturePath('hello-ts', 'app.ts')));
    assert.match(document.lineAt(lenses[0].range.start.line).text, /^export const handler = /);
  });

  test('finds the Python handler function', async () => {
    await activateExtension();
    const lenses = await lensesOf('hello-py', 'app.py');
    assert.equal(lenses[0].command?.arguments?.[0].functionName, 'HelloPyFunction');
  });
});
