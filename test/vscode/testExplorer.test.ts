// Integration: saved events appear in the Test Explorer per function, and running them checks NAME.expected.json.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fixturePath, logChannelText, waitFor } from './helpers';

suite('Test Explorer', () => {
  const expectations = [fixturePath('events', 'hello.expected.json'), fixturePath('events', 'fail.expected.json')];
  teardown(async () => {
    for (const file of expectations) await vscode.workspace.fs.delete(vscode.Uri.file(file)).then(undefined, () => undefined);
  });

  test('lists each function with its saved events, never the expectation files', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[0]), Buffer.from('{ "responseContains": { "greeting": "Hello, Ada!" } }\n'));
    const item = await waitFor('HelloJsFunction in the Test Explorer', async () => {
      await api.eventTests.refreshHandler?.(new vscode.CancellationTokenSource().token);
      return api.eventTests.items.get('HelloJsFunction');
    });
    const events: string[] = [];
    item.children.forEach((child) => void events.push(child.label));
    assert.deepEqual(events.sort(), ['fail', 'hello']);
  });

  test('Run All checks each event against its expectation: a met one passes, an unmet one fails with its reason', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[0]), Buffer.from('{ "responseContains": { "greeting": "Hello, Ada!" } }\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expectations[1]), Buffer.from('{ "error": { "errorType": "TypeError" } }\n'));
    await api.eventTests.refreshHandler?.(new vscode.CancellationTokenSource().token);
    // What the Test Explorer's Run All button runs.
    await vscode.commands.executeCommand('testing.runAll');
    const text = await waitFor('both HelloJsFunction tests in the log', async () => {
      const log = await logChannelText(api);
      return /Test HelloJsFunction\/hello: /.test(log) && /Test HelloJsFunction\/fail: /.test(log) ? log : undefined;
    }, 90_000);
    assert.match(text, /Test HelloJsFunction\/hello: passed/);
    assert.match(text, /Test HelloJsFunction\/fail: failed \(The error differs from the expectation\.\)/);
  });
});
