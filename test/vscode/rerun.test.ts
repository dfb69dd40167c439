// Integration: one click to re-run. Invoke and Debug reuse the function's last event from every entry point (tree row,
// CodeLens, status bar, palette); the palette skips the function picker for the active editor's handler; "Invoke with
// Event..." asks again. A picker that should not appear would hold the command forever, so these tests would time out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, findFunctionNode, fixturePath } from './helpers';

function responseOf(result: InvokeResult | undefined): unknown {
  assert.ok(result, 'the command returned a result');
  return JSON.parse(Buffer.from(result.payload).toString('utf8'));
}

suite('Re-run with the last event', () => {
  let scratch: string;

  suiteSetup(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'lwb-rerun-'));
  });

  teardown(async () => {
    // A picker left open by a failing test would block the next command.
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(scratch, { recursive: true, force: true });
  });

  test('Invoke on the tree row and the CodeLens re-runs with the last event, read again from its file', async () => {
    const api = await activateExtension();
    const eventFile = path.join(scratch, 'person.json');
    writeFileSync(eventFile, '{"name": "Grace"}');
    const first = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'HelloPyFunction', eventPath: eventFile });
    assert.deepEqual(responseOf(first), { greeting: 'Hello, Grace!' });

    const row = await findFunctionNode(api, 'HelloPyFunction');
    const fromRow = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', row);
    assert.deepEqual(responseOf(fromRow), { greeting: 'Hello, Grace!' });

    writeFileSync(eventFile, '{"name": "Edited"}');
    const fromLens = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'HelloPyFunction' });
    assert.deepEqual(responseOf(fromLens), { greeting: 'Hello, Edited!' });
  });

  test('the palette invokes the function whose handler is in the active editor, with its last event', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', event: { name: 'Palette' } });
    await vscode.window.showTextDocument(vscode.Uri.file(fixturePath('hello-js', 'app.js')));
    const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction');
    assert.deepEqual(responseOf(result), { greeting: 'Hello, Palette!' });
  });

  test('Debug on the tree row starts a session with the last event file', async () => {
    const api = await activateExtension();
    const eventFile = fixturePath('events', 'hello.json');
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloJsFunction', eventPath: eventFile });
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const subscription = vscode.debug.onDidStartDebugSession((session) => {
        if (session.type !== 'lambda-workbench') return;
        subscription.dispose();
        resolve(session);
      });
    });
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.debugFunction', await findFunctionNode(api, 'HelloJsFunction')), true);
    const session = await started;
    try {
      assert.equal(session.configuration.function, 'HelloJsFunction');
      assert.equal(session.configuration.eventFile, eventFile);
    } finally {
      await vscode.debug.stopDebugging(session);
    }
  });

  test('"Invoke with Event..." asks again although an event is remembered', async () => {
    const api = await activateExtension();
    const row = await findFunctionNode(api, 'HelloPyFunction');
    await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'HelloPyFunction', eventPath: fixturePath('events', 'hello.json') });

    let settled = false;
    const asked = Promise.resolve(vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeFunctionWithEvent', row)).finally(() => {
      settled = true;
    });
    // Dismissing the picker (once it shows) cancels the command: it resolves without a result only if it asked.
    while (!settled) {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await delay(200);
    }
    assert.equal(await asked, undefined);
    // The remembered event is still the one re-runs use.
    const again = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', row);
    assert.deepEqual(responseOf(again), { greeting: 'Hello, Ada!' });
  });
});
