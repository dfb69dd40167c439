// Integration: a function's API routes in the Lambda view, and a request sent from the route's request editor through the local API Gateway.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { WorkbenchApi } from '../../src/extension';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { acceptPrompts, activateExtension, childLabels, findFunctionNode, fixturePath, logChannelText, logLine, logTail, waitFor } from './helpers';

type RouteNode = Extract<LambdaNode, { kind: 'route' }>;

async function helloRoute(api: WorkbenchApi): Promise<RouteNode> {
  const functionNode = await findFunctionNode(api, 'HelloPyFunction');
  const route = ((await api.tree.getChildren(functionNode)) ?? []).find((child): child is RouteNode => child.kind === 'route');
  assert.ok(route, 'the route node is listed');
  return route;
}

suite('API routes', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('lists the HttpApi and Api routes under their function', async () => {
    const api = await activateExtension();
    const labels = await childLabels(api, await findFunctionNode(api, 'HelloPyFunction'), 'route');
    assert.deepEqual(labels, ['GET /hello/{name}', 'GET /keyed']);
  });

  test('Send Request... opens a request editor saved with the workspace; Send Request shows the HTTP response and logs the call', async () => {
    const api = await activateExtension();
    const route = await helloRoute(api);
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

  test('Copy URL puts the route\'s URL on the local gateway on the clipboard', async () => {
    const api = await activateExtension();
    const url = await vscode.commands.executeCommand<string>('lambdaWorkbench.copyRouteUrl', await helloRoute(api));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/hello\/\{name\}$/);
    assert.equal(await vscode.env.clipboard.readText(), url);
    // The copied URL is served: with a value for {name}, it reaches the function.
    const response = await fetch(url.replace('{name}', 'Grace'));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { greeting: 'Hello, world!' });
  });

  test('Open in Browser asks for the path parameters, then opens the route\'s URL', async () => {
    const api = await activateExtension();
    // The input box offers /hello/name (the parameter by its name); the user accepts it (once it is shown).
    const url = await acceptPrompts(vscode.commands.executeCommand<string | undefined>('lambdaWorkbench.openRouteInBrowser', await helloRoute(api)));
    assert.ok(url, 'a URL was opened');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/hello\/name$/);
    // What was handed to the browser serves the route. (code-server then maps 127.0.0.1:PORT to its own /proxy/PORT/
    // path, which this test does not follow: see the gateway notes in docs/api-gateway.md.)
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { greeting: 'Hello, world!' });
    await logLine(api, 'API Gateway: GET /hello/name -> HelloPyFunction 200');
  });

  test('Start Local Endpoints also serves the templates\' APIs and lists each route with its URL; Stop stops it', async () => {
    const api = await activateExtension();
    const running = await vscode.commands.executeCommand<RunningEndpoints | undefined>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    assert.ok(running, `Start Local Endpoints returned nothing; the log ends:\n${await logTail(api)}`);
    let stopped = false;
    try {
      assert.ok(running.apiGatewayUrl, 'the API Gateway is started');
      assert.match(running.apiGatewayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      await logLine(api, `GET ${running.apiGatewayUrl}/hello/{name} -> HelloPyFunction  (ServerlessHttpApi, HTTP, payload 2.0)`);
      const response = await fetch(`${running.apiGatewayUrl}/hello/Lin`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('apigw-requestid') ?? '', /^[0-9a-f-]{36}$/);
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
      stopped = true;
      await assert.rejects(fetch(`${running.apiGatewayUrl}/hello/Lin`), 'the gateway stopped with the other endpoints');
    } finally {
      if (!stopped) await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    }
  });

  test('an ApiKeyRequired route accepts the keys of the lambdaWorkbench.apiKeys setting', async () => {
    const api = await activateExtension();
    const url = await vscode.commands.executeCommand<string>('lambdaWorkbench.copyRouteUrl', await helloRoute(api));
    const keyed = url.replace(/\/hello\/\{name\}$/, '/keyed');
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    try {
      const refused = await fetch(keyed, { headers: { 'x-api-key': 'workbench-key-123' } });
      assert.deepEqual([refused.status, await refused.text()], [403, '{"message":"Forbidden"}']);
      await config.update('apiKeys', ['workbench-key-123'], vscode.ConfigurationTarget.Workspace);
      // The routes are read again with the setting's keys; the running gateway takes them. The function then runs (its
      // plain {"greeting"} answer is not a REST proxy response: 502) and logs the event with the key.
      const accepted = await waitFor('the key to be accepted', async () => {
        const response = await fetch(keyed, { headers: { 'x-api-key': 'workbench-key-123' } });
        return response.status === 403 ? undefined : response;
      });
      assert.deepEqual([accepted.status, await accepted.text()], [502, '{"message": "Internal server error"}']);
      await logLine(api, "'apiKey': 'workbench-key-123'");
    } finally {
      await config.update('apiKeys', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
