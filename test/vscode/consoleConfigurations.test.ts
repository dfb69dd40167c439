// Integration: the Lambda view lists a function's provisioned concurrency (IN_PROGRESS, then READY), function URLs (Copy
// Function URL) and event source mappings (with their State), as the local Lambda API and the template make them.
import {
  CreateAliasCommand, CreateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand, LambdaClient, PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/extension';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { InvokeResult } from '../../src/core/service/invocation';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { activateExtension, findFunctionNode, fixturePath, logChannelText, logTail, removeFunctionProject, waitFor, writeFunctionProject } from './helpers';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The label and description of the function's child of `kind` whose label is `label`; undefined while there is none. */
async function childItem(api: WorkbenchApi, functionName: string, kind: LambdaNode['kind'], label: string): Promise<{ node: LambdaNode; description: string } | undefined> {
  const functionNode = await findFunctionNode(api, functionName);
  for (const node of (await api.tree.getChildren(functionNode)) ?? []) {
    if (node.kind !== kind) continue;
    const item = await api.tree.getTreeItem(node);
    if (item.label === label) return { node, description: String(item.description) };
  }
  return undefined;
}

async function startEndpoints(): Promise<RunningEndpoints> {
  const running = await vscode.commands.executeCommand<RunningEndpoints>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
  assert.ok(running, 'the local endpoints started');
  return running;
}

suite('Lambda console configurations', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
  });

  test('a provisioned concurrency config is listed IN_PROGRESS while its environment initialises, then READY, and serves its alias', async function () {
    this.timeout(180_000);
    const api = await activateExtension();
    const folder = fixturePath('provisioned-console');
    // An init that lasts 3 seconds: the config stays IN_PROGRESS at least that long.
    await writeFunctionProject(folder, 'ProvisionedConsoleFunction', [
      'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);',
      'exports.handler = async () => ({ initializationType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE });',
    ]);
    const running = await startEndpoints();
    const client = new LambdaClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await waitFor('the new function in the view', () => findFunctionNode(api, 'ProvisionedConsoleFunction').catch(() => undefined));
      // Reserved concurrency shows on the function, and bounds the provisioned concurrency.
      await vscode.commands.executeCommand('lambdaWorkbench.setReservedConcurrency', { functionName: 'ProvisionedConsoleFunction', reservedConcurrency: 2 });
      const functionItem = await api.tree.getTreeItem(await findFunctionNode(api, 'ProvisionedConsoleFunction'));
      assert.match(String(functionItem.description), / · reserved 2$/);
      const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'ProvisionedConsoleFunction' }));
      await client.send(new CreateAliasCommand({ FunctionName: 'ProvisionedConsoleFunction', Name: 'live', FunctionVersion: Version }));
      const put = await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'ProvisionedConsoleFunction', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }));
      assert.equal(put.Status, 'IN_PROGRESS');

      const label = 'provisioned concurrency live';
      const initialising = await waitFor('the config in the view', () => childItem(api, 'ProvisionedConsoleFunction', 'provisioned', label));
      assert.equal(initialising.description, 'IN_PROGRESS · 0 of 1 available');
      const ready = await waitFor('the config READY', async () => {
        const item = await childItem(api, 'ProvisionedConsoleFunction', 'provisioned', label);
        return item?.description.startsWith('READY') ? item : undefined;
      }, 90_000);
      assert.equal(ready.description, 'READY · 1 of 1 available');

      // Invoke on the alias node runs in the provisioned environment.
      const aliasNode = await childItem(api, 'ProvisionedConsoleFunction', 'alias', 'alias live');
      assert.ok(aliasNode);
      await vscode.commands.executeCommand('lambdaWorkbench.invokeFunction', { functionName: 'ProvisionedConsoleFunction', event: {} });
      const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', aliasNode.node);
      assert.ok(result);
      assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { initializationType: 'provisioned-concurrency' });
      assert.equal(result.executedVersion, Version);
    } finally {
      client.destroy();
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
      await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
      await removeFunctionProject(api, folder, 'ProvisionedConsoleFunction');
    }
  });

  test('function URLs are listed; Copy Function URL serves one and copies its address; an AWS_IAM URL made through the API refuses unsigned requests', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    // Copy Function URL starts the endpoints on lambdaWorkbench.endpointsPort: any free port here.
    const settings = vscode.workspace.getConfiguration('lambdaWorkbench');
    await settings.update('endpointsPort', 0, vscode.ConfigurationTarget.Global);
    try {
      await copyAndServe(api);
    } finally {
      await settings.update('endpointsPort', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  async function copyAndServe(api: WorkbenchApi): Promise<void> {
    // The template's FunctionUrlConfig, not served yet.
    const declared = await waitFor('the function URL in the view', () => childItem(api, 'HelloJsFunction', 'functionUrl', 'function URL'));
    assert.equal(declared.description, 'served while the local endpoints run · NONE');

    const url = await vscode.commands.executeCommand<string | undefined>('lambdaWorkbench.copyFunctionUrl', declared.node);
    assert.ok(url, await logTail(api));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(await vscode.env.clipboard.readText(), url);
    const response = await fetch(`${url}?name=Url`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { greeting: 'Hello, world!' });
    const served = await waitFor('the URL in the view', async () => {
      const item = await childItem(api, 'HelloJsFunction', 'functionUrl', 'function URL');
      return item?.description.startsWith('http') ? item : undefined;
    });
    assert.equal(served.description, `${url} · NONE`);

    // A URL config made through the Lambda API on an alias, with AWS_IAM: listed, served at once, unsigned requests refused.
    const running = await startEndpoints();
    const client = new LambdaClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'HelloJsFunction' }));
      await client.send(new CreateAliasCommand({ FunctionName: 'HelloJsFunction', Name: 'urlalias', FunctionVersion: Version }));
      const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'HelloJsFunction', Qualifier: 'urlalias', AuthType: 'AWS_IAM' }));
      const item = await waitFor('the alias URL in the view', async () => {
        const listed = await childItem(api, 'HelloJsFunction', 'functionUrl', 'function URL urlalias');
        return listed?.description.startsWith('http') ? listed : undefined;
      });
      const aliasUrl = await vscode.commands.executeCommand<string>('lambdaWorkbench.copyFunctionUrl', item.node);
      assert.equal(item.description, `${aliasUrl} · AWS_IAM`);
      assert.notEqual(aliasUrl, url);
      assert.equal((await fetch(aliasUrl)).status, 403);
      assert.ok(created.FunctionUrl, 'CreateFunctionUrlConfig answers with the URL');
      await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'HelloJsFunction', Qualifier: 'urlalias' }));
      await waitFor('the alias URL gone from the view', async () => ((await childItem(api, 'HelloJsFunction', 'functionUrl', 'function URL urlalias')) ? undefined : true));
      // Copy Function URL of a config that no longer exists says so (ResourceNotFoundException) and copies nothing.
      assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.copyFunctionUrl', { functionName: 'HelloJsFunction', qualifier: 'urlalias' }), undefined);
      await waitFor('the refusal in the log', async () => ((await logChannelText(api)).includes('Copy Function URL failed: ResourceNotFoundException: The resource you requested does not exist.') ? true : undefined));
    } finally {
      client.destroy();
    }
  }

  test('the template\'s SQS mapping is listed with its State while the endpoints poll; disabling it through the Lambda API shows Disabled', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    const folder = fixturePath('mapping-console');
    const write = (file: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(folder, file)), Buffer.from(text));
    await write('src/app.js', "exports.handler = async (event) => { console.log('batch of', event.Records.map((r) => r.body).join(',')); };\n");
    await write('template.yaml', [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  ConsoleQueue:',
      '    Type: AWS::SQS::Queue',
      '  MappedFunction:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: nodejs20.x',
      '      Events:',
      '        Orders:',
      '          Type: SQS',
      '          Properties:',
      '            Queue: !GetAtt ConsoleQueue.Arn',
      '            BatchSize: 5',
      '',
    ].join('\n'));
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
    await waitFor('the new function in the view', () => findFunctionNode(api, 'MappedFunction').catch(() => undefined));
    // Not polled before the endpoints run: nothing is listed.
    assert.equal(await childItem(api, 'MappedFunction', 'mapping', 'queue ConsoleQueue'), undefined);
    const running = await startEndpoints();
    const lambda = new LambdaClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const sqs = new SQSClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const enabled = await waitFor('the mapping in the view', () => childItem(api, 'MappedFunction', 'mapping', 'queue ConsoleQueue'));
      assert.equal(enabled.description, 'Enabled · batch 5');
      // It polls: a message sent through the SQS API reaches the function.
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'ConsoleQueue' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'order-17' }));
      await waitFor('the batch in the log', async () => ((await logChannelText(api)).includes('batch of order-17') ? true : undefined), 60_000);

      assert.equal(enabled.node.kind, 'mapping');
      const uuid = enabled.node.kind === 'mapping' ? enabled.node.entry.uuid : '';
      const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
      assert.equal(updated.State, 'Disabling');
      const disabled = await waitFor('Disabled in the view', async () => {
        const item = await childItem(api, 'MappedFunction', 'mapping', 'queue ConsoleQueue');
        return item?.description.startsWith('Disabled') ? item : undefined;
      });
      assert.equal(disabled.description, 'Disabled · batch 5');
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
      await waitFor('Enabled again in the view', async () => {
        const item = await childItem(api, 'MappedFunction', 'mapping', 'queue ConsoleQueue');
        return item?.description.startsWith('Enabled') ? item : undefined;
      });
      // The endpoints stopped: nothing polls, nothing is listed.
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
      assert.equal(await childItem(api, 'MappedFunction', 'mapping', 'queue ConsoleQueue'), undefined);
    } finally {
      lambda.destroy();
      sqs.destroy();
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
      await removeFunctionProject(api, folder, 'MappedFunction');
    }
  });
});
