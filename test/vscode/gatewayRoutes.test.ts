// Integration: a function's API routes in the Lambda view, and a request sent from the route's request editor through the local API Gateway.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { activateExtension, childLabels, findFunctionNode, fixturePath, logChannelText, waitFor } from './helpers';

suite('API routes', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('lists the HttpApi route under its function', async () => {
    const api = await activateExtension();
    const labels = await childLabels(api, await findFunctionNode(api, 'HelloPyFunction'), 'route');
    assert.deepEqual(labels, ['GET /hello/{name}']);
  });

  test('Send Request... opens a request editor saved with the workspace; Send Request shows the HTTP response and logs the call', async () => {
    const api = await activateExtension();
    const functionNode = await findFunctionNode(api, 'HelloPyFunction');
    const route = ((await api.tree.getChildren(functionNode)) ?? []).find((child): child is Extract<LambdaNode, { kind: 'route' }> => child.kind === 'route');
    assert.ok(route, 'the route node is listed');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('lambdaWorkbench.editRouteRequest', route);
    const file = fixturePath('requests', 'HelloPyFunction', 'get-hello-name.request.json');
    assert.equal(editor.document.fileName, file);
    assert.ok(existsSync(file), 'the request is saved beside the template');
    assert.deepEqual(JSON.parse(editor.document.getText()), { method: 'GET', path: '/hello/name', headers: {}, body: '' });

    // The user edits the path in the editor and saves; then sends it.
    await editor.edit((edit) => {
      const text = editor.document.getText();
      const start = editor.document.positionAt(text.indexOf('/hello/name'));
      edit.replace(new vscode.Range(start, start.translate(0, '/hello/name'.length)), '/hello/Ada?verbose=1');
    });
    await editor.document.save();
    const sent = await vscode.commands.executeCommand<{ status: number; response: vscode.Uri }>('lambdaWorkbench.sendRequest', editor.document.uri);
    assert.equal(sent.status, 200);
    const response = await waitFor('the response document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === sent.response.toString()));
    const text = response.getText();
    assert.match(text, /^HTTP\/1\.1 200 OK\n/);
    assert.match(text, /\ncontent-type: application\/json\n/);
    assert.match(text, /\napigw-requestid: [0-9a-f-]{36}\n/);
    assert.match(text, /"greeting": "Hello, world!"/);
    const logs = await waitFor('the gateway access line', async () => {
      const log = await logChannelText(api);
      return log.includes('API Gateway: GET /hello/Ada?verbose=1 -> HelloPyFunction 200') ? log : undefined;
    });
    assert.match(logs, /API Gateway listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});
