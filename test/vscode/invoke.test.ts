// Integration: "Invoke Function" through the command with arguments: response, error type, result document, logs, instances.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, findFunctionNode, fixturePath, logChannelText, logTail, waitFor } from './helpers';

function invoke(args: object): Thenable<InvokeResult | undefined> {
  return vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeFunction', args);
}

suite('Invoke Function', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('returns the JavaScript handler response for a saved event', async () => {
    await activateExtension();
    const result = await invoke({ functionName: 'HelloJsFunction', eventPath: fixturePath('events', 'hello.json') });
    assert.ok(result, 'the command returned a result');
    assert.equal(result.statusCode, 200);
    assert.equal(result.functionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { greeting: 'Hello, Ada!' });
  });

  test('opens the response in a read-only JSON document', async () => {
    await activateExtension();
    await invoke({ functionName: 'HelloJsFunction', event: { name: 'Grace' } });
    const document = await waitFor('the result document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'lambda-result' && d.getText().includes('Grace')),
    );
    assert.equal(document.languageId, 'json');
    assert.deepEqual(JSON.parse(document.getText()), { greeting: 'Hello, Grace!' });
  });

  test('reports a handler error with its Lambda error type', async () => {
    await activateExtension();
    const result = await invoke({ functionName: 'HelloJsFunction', eventPath: fixturePath('events', 'fail.json') });
    assert.ok(result);
    assert.equal(result.functionError, 'Unhandled');
    const body = JSON.parse(Buffer.from(result.payload).toString('utf8')) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'ValidationError');
    assert.equal(body.errorMessage, 'refusing this event');
  });

  test('builds and invokes the TypeScript function', async () => {
    const api = await activateExtension();
    const result = await invoke({ functionName: 'HelloTsFunction', eventPath: fixturePath('hello-ts', 'events', 'typescript.json') });
    assert.ok(result, await logTail(api));
    assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { message: 'Hello, TypeScript!', language: 'typescript' });
  });

  test('streams START, the function output, END and REPORT into the log channel', async () => {
    const api = await activateExtension();
    const result = await invoke({ functionName: 'HelloJsFunction', event: { name: 'Logs' } });
    assert.ok(result);
    const id = result.requestId;
    const text = await waitFor('the REPORT line in the log channel', async () => {
      const content = await logChannelText(api);
      return content.includes(`REPORT RequestId: ${id}`) ? content : undefined;
    });
    const lines = text.split('\n').filter((line) => line.includes(id));
    const order = ['START RequestId', 'event received', 'END RequestId', 'REPORT RequestId'].map((marker) => lines.findIndex((l) => l.includes(marker)));
    assert.ok(order.every((index) => index >= 0), `every line is there: ${lines.join('\n')}`);
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'in Lambda order');
    assert.ok(lines.every((line) => line.includes('[HelloJsFunction]')));
  });

  test('lists the warm instance under its function, and Stop Instances removes it', async () => {
    const api = await activateExtension();
    await invoke({ functionName: 'HelloJsFunction', event: {} });
    const node = await findFunctionNode(api, 'HelloJsFunction');
    const instances = ((await api.tree.getChildren(node)) ?? []).filter((child) => child.kind === 'instance');
    assert.ok(instances.length >= 1);
    assert.equal((await api.tree.getTreeItem(node)).contextValue, 'function.running');

    await vscode.commands.executeCommand('lambdaWorkbench.stopInstances', node);
    const after = ((await api.tree.getChildren(node)) ?? []).filter((child) => child.kind === 'instance');
    assert.equal(after.length, 0);
  });

  test('hot-reloads a warm function when its code changes', async () => {
    await activateExtension();
    await invoke({ functionName: 'HelloJsFunction', event: { name: 'Before' } });
    const file = fixturePath('hello-js', 'app.js');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('${process.env.GREETING}', 'Howdy'));
    try {
      const result = await waitFor('the warm instance to run the new code', async () => {
        const next = await invoke({ functionName: 'HelloJsFunction', event: { name: 'After' } });
        return next && Buffer.from(next.payload).toString('utf8').includes('Howdy, After!') ? next : undefined;
      });
      assert.equal(result.functionError, undefined);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('names an unknown function in the error instead of invoking', async () => {
    await activateExtension();
    const result = await invoke({ functionName: 'NoSuchFunction', event: {} });
    assert.equal(result, undefined);
  });
});
