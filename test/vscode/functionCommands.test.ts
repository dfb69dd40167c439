// Integration: the function context-menu commands (Open Handler, New Event, Package) and local endpoints.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DeploymentPackage } from '../../src/core/build/deploymentPackage';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import { activateExtension, fixturePath, logTail } from './helpers';

suite('Function commands', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('Open Handler shows the handler source at its definition', async () => {
    await activateExtension();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('lambdaWorkbench.openHandler', 'HelloTsFunction');
    assert.ok(editor);
    assert.equal(editor.document.uri.fsPath, fixturePath('hello-ts', 'app.ts'));
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /export const handler/);
  });

  test("New Event writes a sample event into the template's events folder, never inside CodeUri nor over an existing file", async () => {
    await activateExtension();
    const args = { functionName: 'HelloJsFunction', name: 'from-sample', sampleId: 'sqs' };
    const uri = await vscode.commands.executeCommand<vscode.Uri>('lambdaWorkbench.newEvent', args);
    assert.ok(uri);
    assert.equal(uri.fsPath, fixturePath('events', 'from-sample.json'));
    assert.equal(existsSync(fixturePath('hello-js', 'events')), false, 'nothing is written into the code folder');
    const first = readFileSync(uri.fsPath, 'utf8');
    assert.ok(JSON.parse(first).Records, 'an SQS event has Records');
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.newEvent', { ...args, sampleId: undefined }), undefined);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), first);
    // The shared events folder is every function's: later suites list it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(uri.fsPath);
  });

  test('Package Function writes a zip of the built TypeScript function', async () => {
    const api = await activateExtension();
    const result = await vscode.commands.executeCommand<DeploymentPackage>('lambdaWorkbench.packageFunction', { functionName: 'HelloTsFunction' });
    assert.ok(result && existsSync(result.zipPath), await logTail(api));
    const listing = execFileSync('unzip', ['-Z1', result.zipPath]).toString().split('\n');
    assert.ok(listing.includes('app.js'), `the bundle is in the zip: ${listing.join(', ')}`);
    execFileSync('unzip', ['-tq', result.zipPath]);
    assert.match(result.limits.lines.join('\n'), /^Zipped package: .* of 50\.0 MB .*: ok$/m);
  });

  test('Start Local Endpoints serves the Invoke API and the function URLs on 127.0.0.1', async () => {
    const api = await activateExtension();
    const running = await vscode.commands.executeCommand<RunningEndpoints | undefined>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    assert.ok(running, `Start Local Endpoints returned nothing; the log ends:\n${await logTail(api)}`);
    try {
      assert.match(running.invokeApiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${running.invokeApiUrl}/2015-03-31/functions/HelloJsFunction/invocations`, { method: 'POST', body: '{"name":"API"}' });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { greeting: 'Hello, API!' });

      assert.deepEqual(running.functionUrls.map((endpoint) => endpoint.functionName), ['HelloJsFunction']);
      const viaUrl = await fetch(running.functionUrls[0].url);
      assert.equal(viaUrl.status, 200);
      assert.deepEqual(await viaUrl.json(), { greeting: 'Hello, world!' });
    } finally {
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    }
  });
});
