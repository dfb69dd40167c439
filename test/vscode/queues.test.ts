// Integration: the Resources section's local queues (message counts, Send Message..., Peek, Receive, Purge, Redrive) and
// the asynchronous invocations in flight, each followed to its end (the consumer's REPORT, the destination's record).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { SentMessage } from '../../src/core/service/eventSources/localQueue';
import type { WorkbenchApi } from '../../src/extension';
import type { RunningEndpoints } from '../../src/extension/endpoints/localEndpoints';
import type { LambdaNode } from '../../src/extension/tree/treeNodes';
import { acceptPrompts, activateExtension, fixturePath, logLine, waitFor, writeFunctionProject } from './helpers';

const HANDLERS = [
  '// JobWorker: fed by the Jobs queue; a "poison" body fails.',
  'exports.handler = async (event) => {',
  '  for (const record of event.Records) {',
  '    console.log(`WORKED ${record.messageId} ${record.body}`);',
  "    if (record.body.includes('poison')) throw new Error(`cannot work ${record.body}`);",
  '  }',
  '};',
  '// SlowFunction: returns once the gate the event names answers.',
  'exports.slow = async (event) => {',
  '  const answer = await fetch(event.gate);',
  '  return { gate: await answer.text() };',
  '};',
];

const RESOURCES = [
  'Jobs:',
  '  Type: AWS::SQS::Queue',
  '  Properties:',
  '    VisibilityTimeout: 2',
  '    RedrivePolicy:',
  '      deadLetterTargetArn: !GetAtt JobsDlq.Arn',
  '      maxReceiveCount: 1',
  'JobsDlq:',
  '  Type: AWS::SQS::Queue',
  'Parked:',
  '  Type: AWS::SQS::Queue',
  'Done:',
  '  Type: AWS::SQS::Queue',
  'SlowFunction:',
  '  Type: AWS::Serverless::Function',
  '  Properties:',
  '    CodeUri: src/',
  '    Handler: app.slow',
  '    Runtime: nodejs20.x',
  '    Timeout: 60',
  '    EventInvokeConfig:',
  '      MaximumRetryAttempts: 0',
  '      DestinationConfig:',
  '        OnSuccess:',
  '          Type: SQS',
  '          Destination: !GetAtt Done.Arn',
];

interface ShownResource {
  node: LambdaNode;
  label: string;
  description: string;
  contextValue: string | undefined;
}

/** The Resources section's children as drawn. */
async function resources(api: WorkbenchApi): Promise<ShownResource[]> {
  const section = ((await api.tree.getChildren()) ?? []).find((node) => node.kind === 'resources');
  if (!section) return [];
  return Promise.all(((await api.tree.getChildren(section)) ?? []).map(async (node) => {
    const item = await api.tree.getTreeItem(node);
    return { node, label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue };
  }));
}

/** Waits until the resource labelled `label` is drawn with a description `matches` accepts. */
async function resourceWhen(api: WorkbenchApi, label: string, matches: (description: string) => boolean): Promise<ShownResource> {
  return waitFor(`${label} to be shown as expected`, async () => (await resources(api)).find((shown) => shown.label === label && matches(shown.description)), 60_000);
}

async function messagesOf(document: vscode.TextDocument): Promise<{ MessageId: string; Body: string; State?: string; Attributes?: Record<string, string> }[]> {
  assert.equal(document.languageId, 'json');
  return (JSON.parse(document.getText()) as { Messages: [] }).Messages;
}

suite('Local queues', () => {
  const folder = () => fixturePath('queue-app');

  suiteSetup(async () => {
    await activateExtension();
    await writeFunctionProject(folder(), 'JobWorker', HANDLERS, [
      'Timeout: 2',
      'Events:',
      '  Jobs:',
      '    Type: SQS',
      '    Properties:',
      '      Queue: !GetAtt Jobs.Arn',
      '      BatchSize: 1',
    ], RESOURCES);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    await vscode.commands.executeCommand('lambdaWorkbench.stopAllInstances');
    rmSync(folder(), { recursive: true, force: true });
    await vscode.commands.executeCommand('lambdaWorkbench.refresh');
  });

  test('Send Message... to a queue a function consumes: the consumer runs with it and reports', async () => {
    const api = await activateExtension();
    const jobs = await resourceWhen(api, 'Jobs', () => true);
    assert.match(jobs.contextValue ?? '', /^queue/);
    // The user runs Send Message... on the queue and accepts the body offered.
    const sent = await acceptPrompts(vscode.commands.executeCommand<SentMessage>('lambdaWorkbench.sendMessage', jobs.node));
    assert.ok(sent?.messageId, 'the message was sent');
    const log = await logLine(api, `WORKED ${sent.messageId} {"hello": "world"}`, 60_000);
    await waitFor('the consumer\'s REPORT', async () => {
      const after = (await logLine(api, `WORKED ${sent.messageId}`)).split(`WORKED ${sent.messageId}`)[1] ?? '';
      return /\[JobWorker\] REPORT RequestId: /.test(after) ? true : undefined;
    });
    assert.ok(log.includes(`Sent message ${sent.messageId} to Jobs.`));
    // Consumed and deleted by the mapping.
    await resourceWhen(api, 'Jobs', (description) => description === '0 visible · 0 in flight');
  });

  test('Peek shows the messages without receiving them; Receive takes and deletes them; Purge empties the queue', async () => {
    const api = await activateExtension();
    const parked = await resourceWhen(api, 'Parked', () => true);
    const first = await acceptPrompts(vscode.commands.executeCommand<SentMessage>('lambdaWorkbench.sendMessage', parked.node));
    const second = await vscode.commands.executeCommand<SentMessage>('lambdaWorkbench.sendMessage', { queue: 'Parked', body: 'second' });
    const counted = await resourceWhen(api, 'Parked', (description) => description === '2 visible · 0 in flight');

    const peeked = await messagesOf(await vscode.commands.executeCommand<vscode.TextDocument>('lambdaWorkbench.peekMessages', counted.node));
    assert.deepEqual(peeked.map((message) => [message.MessageId, message.Body, message.State, message.Attributes?.ApproximateReceiveCount]), [
      [first.messageId, '{"hello": "world"}', 'visible', '0'],
      [second.messageId, 'second', 'visible', '0'],
    ]);
    await resourceWhen(api, 'Parked', (description) => description === '2 visible · 0 in flight');

    const received = await messagesOf(await vscode.commands.executeCommand<vscode.TextDocument>('lambdaWorkbench.receiveMessages', counted.node));
    assert.deepEqual(received.map((message) => [message.MessageId, message.Body, message.Attributes?.ApproximateReceiveCount]), [
      [first.messageId, '{"hello": "world"}', '1'],
      [second.messageId, 'second', '1'],
    ]);
    await resourceWhen(api, 'Parked', (description) => description === '0 visible · 0 in flight');

    await vscode.commands.executeCommand('lambdaWorkbench.sendMessage', { queue: 'Parked', body: 'to be purged' });
    await resourceWhen(api, 'Parked', (description) => description === '1 visible · 0 in flight');
    assert.equal(await vscode.commands.executeCommand('lambdaWorkbench.purgeQueue', { queue: 'Parked', confirmed: true }), true);
    await resourceWhen(api, 'Parked', (description) => description === '0 visible · 0 in flight');
  });

  test('a message that fails lands in the dead-letter queue; Redrive sends it back to its queue, where the consumer gets it again', async () => {
    const api = await activateExtension();
    const sent = await vscode.commands.executeCommand<SentMessage>('lambdaWorkbench.sendMessage', { queue: 'Jobs', body: 'poison pill' });
    await logLine(api, `WORKED ${sent.messageId} poison pill`, 60_000);
    // Visible again after its visibility timeout, over maxReceiveCount: moved to JobsDlq.
    const dlq = await resourceWhen(api, 'JobsDlq', (description) => description === '1 visible · 0 in flight');
    assert.equal(dlq.contextValue, 'queue.deadLetter');
    const peeked = await messagesOf(await vscode.commands.executeCommand<vscode.TextDocument>('lambdaWorkbench.peekMessages', dlq.node));
    assert.deepEqual(peeked.map((message) => [message.MessageId, message.Body, message.Attributes?.DeadLetterQueueSourceArn]), [
      [sent.messageId, 'poison pill', 'arn:aws:sqs:us-east-1:123456789012:Jobs'],
    ]);

    const worked = (log: string) => log.split(`WORKED ${sent.messageId} poison pill`).length - 1;
    assert.deepEqual(await vscode.commands.executeCommand('lambdaWorkbench.redriveQueue', dlq.node), { moved: 1, kept: 0 });
    await waitFor('the consumer to get the redriven message', async () => (worked(await logLine(api, 'Redrive of JobsDlq: 1 message(s) moved back')) === 2 ? true : undefined), 60_000);
    // It fails again, and is back in the dead-letter queue.
    await resourceWhen(api, 'JobsDlq', (description) => description === '1 visible · 0 in flight');
  });

  test('an asynchronous invocation in flight is listed with its destination until it is done; its record arrives in the queue', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    // The gate the function waits for: answered when the test says so.
    const waiting: ServerResponse[] = [];
    const gate = createServer((_req, res) => void waiting.push(res));
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const running = await vscode.commands.executeCommand<RunningEndpoints>('lambdaWorkbench.startLocalEndpoints', { port: 0 });
    const lambda = new LambdaClient({ endpoint: running.invokeApiUrl, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
    try {
      const event = { gate: `http://127.0.0.1:${(gate.address() as AddressInfo).port}/open` };
      const queued = await lambda.send(new InvokeCommand({ FunctionName: 'SlowFunction', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
      assert.equal(queued.StatusCode, 202);
      const shown = await resourceWhen(api, 'SlowFunction (async)', (description) => description === 'attempt 1 · running · OnSuccess → sqs Done');
      assert.equal(shown.contextValue, 'asyncInvocation');
      await waitFor('the function to reach its gate', () => (waiting.length > 0 ? true : undefined), 60_000);
      for (const res of waiting) res.end('opened');

      // Done: no longer in flight, and its invocation record is in Done.
      await waitFor('the invocation to finish', async () => ((await resources(api)).some((shown) => shown.label === 'SlowFunction (async)') ? undefined : true), 60_000);
      const done = await resourceWhen(api, 'Done', (description) => description === '1 visible · 0 in flight');
      const [record] = await messagesOf(await vscode.commands.executeCommand<vscode.TextDocument>('lambdaWorkbench.peekMessages', done.node));
      const body = JSON.parse(record?.Body ?? '{}');
      assert.equal(body.requestContext.condition, 'Success');
      assert.equal(body.requestContext.requestId, queued.$metadata.requestId);
      assert.deepEqual(body.responsePayload, { gate: 'opened' });
    } finally {
      lambda.destroy();
      for (const res of waiting) res.destroy();
      await new Promise((resolve) => gate.close(resolve));
      await vscode.commands.executeCommand('lambdaWorkbench.stopLocalEndpoints');
    }
  });
});
