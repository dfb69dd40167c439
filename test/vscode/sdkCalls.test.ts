// Integration: a handler's AWS SDK call to SQS, run by the extension's own service, reaches the local queue; with
// lambdaWorkbench.passThroughServices naming sqs it is addressed to AWS with the extension host's credentials.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { InvokeResult } from '../../src/core/service/invocation';
import { activateExtension, fixturePath, waitFor, writeFunctionProject } from './helpers';

/** What the handler saw: its SQS endpoint variable, the host its SDK addressed, its access key and the call's outcome. */
interface SeenBySdk {
  endpoint: string | null;
  queueUrl: string;
  host: string;
  accessKeyId: string;
  messageId?: string;
  error?: string;
}

const HANDLER = [
  "const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');",
  'exports.handler = async (event) => {',
  '  const client = new SQSClient({ maxAttempts: 1 });',
  '  let host;',
  '  // Records where the request goes; a dry run stops it there (nothing leaves the machine).',
  '  client.middlewareStack.add((next) => async (args) => {',
  '    host = args.request.hostname;',
  "    if (event.dryRun) throw new Error('dry run: not sent');",
  '    return next(args);',
  "  }, { step: 'finalizeRequest', name: 'recordHost' });",
  '  const seen = { endpoint: process.env.AWS_ENDPOINT_URL_SQS ?? null, queueUrl: process.env.QUEUE_URL, accessKeyId: process.env.AWS_ACCESS_KEY_ID };',
  '  try {',
  "    const sent = await client.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'from the handler' }));",
  '    return { ...seen, host, messageId: sent.MessageId };',
  '  } catch (error) {',
  '    return { ...seen, host, error: error.message };',
  '  }',
  '};',
];

async function invokeSender(event: object): Promise<SeenBySdk> {
  const result = await vscode.commands.executeCommand<InvokeResult>('lambdaWorkbench.invokeFunction', { functionName: 'QueueSender', event });
  const payload = Buffer.from(result.payload).toString('utf8');
  assert.equal(result.functionError, undefined, payload);
  return JSON.parse(payload) as SeenBySdk;
}

suite('SDK calls of functions', () => {
  const folder = () => fixturePath('sdk-queue');
  const previousKey = process.env.AWS_ACCESS_KEY_ID;
  const previousSecret = process.env.AWS_SECRET_ACCESS_KEY;

  suiteSetup(async () => {
    await activateExtension();
    await writeFunctionProject(folder(), 'QueueSender', HANDLER, ['Environment:', '  Variables:', '    QUEUE_URL: !Ref Outbox'], [
      'Outbox:',
      '  Type: AWS::SQS::Queue',
    ]);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('lambdaWorkbench').update('passThroughServices', undefined, vscode.ConfigurationTarget.Workspace);
    if (previousKey === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = previousKey;
    if (previousSecret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = previousSecret;
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(folder(), { recursive: true, force: true });
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  test('a handler sends to its template queue through the local endpoint, with local credentials', async function () {
    // The first run installs @aws-sdk/client-sqs into the SDK cache (the runtime provides it on Lambda).
    this.timeout(300_000);
    // The extension host's own credentials are for pass-through only: the local calls never see them.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXTENSIONHOST';
    process.env.AWS_SECRET_ACCESS_KEY = 'extension-host-secret';
    const seen = await invokeSender({ dryRun: false });
    assert.equal(seen.error, undefined, JSON.stringify(seen));
    assert.match(seen.endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(seen.queueUrl, `${seen.endpoint}/123456789012/Outbox`);
    assert.equal(seen.host, '127.0.0.1');
    assert.equal(seen.accessKeyId, 'local-access-key');

    // The message is in the local queue: received from the same endpoint with the AWS SDK.
    const sqs = new SQSClient({ endpoint: seen.endpoint as string, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
    try {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: seen.queueUrl, WaitTimeSeconds: 1 }));
      assert.deepEqual(received.Messages?.map((message) => [message.MessageId, message.Body]), [[seen.messageId, 'from the handler']]);
    } finally {
      sqs.destroy();
    }
  });

  test('with sqs in lambdaWorkbench.passThroughServices the call is addressed to AWS with the extension host\'s credentials', async function () {
    this.timeout(300_000);
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXTENSIONHOST';
    process.env.AWS_SECRET_ACCESS_KEY = 'extension-host-secret';
    await vscode.workspace.getConfiguration('lambdaWorkbench').update('passThroughServices', ['sqs'], vscode.ConfigurationTarget.Workspace);
    // The service is replaced once the setting's change arrives; environments started after it see the setting.
    const seen = await waitFor('the setting to apply', async () => {
      const run = await invokeSender({ dryRun: true });
      return run.endpoint === null ? run : undefined;
    });
    assert.equal(seen.queueUrl, 'https://sqs.us-east-1.amazonaws.com/123456789012/Outbox');
    assert.equal(seen.host, 'sqs.us-east-1.amazonaws.com');
    assert.equal(seen.accessKeyId, 'AKIAEXTENSIONHOST');
    assert.equal(seen.error, 'dry run: not sent');

    // Taken out of the setting, the next environment is local again.
    await vscode.workspace.getConfiguration('lambdaWorkbench').update('passThroughServices', [], vscode.ConfigurationTarget.Workspace);
    const local = await waitFor('the setting to apply', async () => {
      const run = await invokeSender({ dryRun: true });
      return run.endpoint === null ? undefined : run;
    });
    assert.match(local.endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(local.host, '127.0.0.1');
    assert.equal(local.accessKeyId, 'local-access-key');
  });
});
