// `lambda-workbench start` serves EventBridge on its Lambda port (SDK v3 EventBridge client): template rules invoke functions and fill queues, destinations reach a bus, API rules survive a restart, Kinesis targets put records.
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/eventBridge');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('lambda-workbench start: EventBridge on the AWS endpoint', () => {
  let dir: string;
  let endpoint: StartedEndpoint;
  let events: EventBridgeClient;
  let sqs: SQSClient;

  const open = async () => {
    endpoint = await startEndpoint(dir, ['--events-port', '0']);
    events = new EventBridgeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  };
  const close = async () => {
    events.destroy();
    sqs.destroy();
    assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
  };
  const queueUrl = (name: string) => `${endpoint.url}/123456789012/${name}`;
  /** Long-polls until a message is there. */
  const receiveOne = async (queue: string): Promise<Message> => {
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), WaitTimeSeconds: 5 }));
      if (Messages?.[0]) return Messages[0];
    }
  };
  const waiting = async (queue: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(queue), AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-eventbridge-start-'));
    cpSync(FIXTURE, dir, { recursive: true });
    await open();
  });

  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the template rules at startup', () => {
    const { stdout } = endpoint.output();
    assert.match(stdout, /^EventBridge rules/m);
    assert.match(stdout, /^ {2}default\/OrderFunctionBigOrders -> OrderFunction$/m);
    assert.match(stdout, /^ {2}app-bus\/AuditRule -> Audit$/m);
  });

  it('an EventBridgeRule event invokes its function asynchronously with the exact EventBridge event; the pattern\'s numeric range picks the big order', { timeout: 120_000 }, async () => {
    const time = new Date('2026-01-02T03:04:05Z');
    const put = await events.send(new PutEventsCommand({
      Entries: [
        { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ amount: 5 }) },
        { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ amount: 250, items: ['book'] }), Resources: ['arn:aws:s3:::shop'], Time: time },
      ],
    }));
    assert.equal(put.FailedEntryCount, 0);
    const [, big] = put.Entries ?? [];
    assert.ok(big?.EventId);
    const record = JSON.parse((await receiveOne('Invocations')).Body ?? '');
    assert.equal(record.requestContext.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:OrderFunction:$LATEST');
    assert.deepEqual(record.requestPayload, {
      version: '0',
      id: big.EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '123456789012',
      time: '2026-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::shop'],
      detail: { amount: 250, items: ['book'] },
    });
  });

  it('an AWS::Events::Rule on a custom bus sends matching events to a queue through its InputTransformer; others are dropped', { timeout: 60_000 }, async () => {
    const put = await events.send(new PutEventsCommand({
      Entries: [
        { EventBusName: 'app-bus', Source: 'shop.cart', DetailType: 'Ignored', Detail: '{}' },
        { EventBusName: 'app-bus', Source: 'billing', DetailType: 'Paid', Detail: '{}' },
        { EventBusName: 'app-bus', Source: 'shop.cart', DetailType: 'CartEmptied', Detail: '{"cart":7}' },
        // The default bus has no rule for it.
        { Source: 'shop.cart', DetailType: 'CartEmptied', Detail: '{}' },
      ],
    }));
    assert.equal(put.FailedEntryCount, 0);
    const body = JSON.parse((await receiveOne('Audit')).Body ?? '');
    assert.equal(body.kind, 'CartEmptied');
    assert.equal(body.line, 'shop.cart sent CartEmptied');
    assert.equal(body.event.id, put.Entries?.[2]?.EventId);
    assert.deepEqual(body.event.detail, { cart: 7 });
    // Every rule target is delivered before PutEvents answers: nothing else is on its way.
    assert.equal(await waiting('Audit'), '0');
  });

  it('an OnSuccess destination that is a bus puts the invocation record on it as a Lambda Function Invocation Result', { timeout: 120_000 }, async () => {
    const invoked = await endpoint.client.send(new InvokeCommand({ FunctionName: 'ReportFunction', InvocationType: 'Event', Payload: Buffer.from('{"report":1}') }));
    assert.equal(invoked.StatusCode, 202);
    const body = JSON.parse((await receiveOne('Audit')).Body ?? '');
    assert.equal(body.kind, 'Lambda Function Invocation Result - Success');
    assert.equal(body.line, 'lambda sent Lambda Function Invocation Result - Success');
    const event = body.event;
    assert.equal(event.source, 'lambda');
    assert.deepEqual(event.resources, ['arn:aws:events:us-east-1:123456789012:event-bus/app-bus', 'arn:aws:lambda:us-east-1:123456789012:function:ReportFunction:$LATEST']);
    assert.equal(event.detail.requestContext.condition, 'Success');
    assert.deepEqual(event.detail.requestPayload, { report: 1 });
    assert.deepEqual(event.detail.responsePayload, { received: { report: 1 } });
  });

  it('rules and targets made with PutRule / PutTargets survive a restart and keep routing', { timeout: 120_000 }, async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }));
    assert.ok(QueueUrl);
    await events.send(new PutRuleCommand({ Name: 'kept-rule', EventPattern: JSON.stringify({ source: ['kept.app'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'kept-rule', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:123456789012:kept', InputPath: '$.detail' }] }));
    await close();
    await open();
    const rules = (await events.send(new ListRulesCommand({ NamePrefix: 'kept' }))).Rules ?? [];
    assert.deepEqual(rules.map((rule) => [rule.Name, rule.State, rule.EventPattern]), [['kept-rule', 'ENABLED', '{"source":["kept.app"]}']]);
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: 'kept-rule' }))).Targets ?? [];
    assert.deepEqual(targets, [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:123456789012:kept', InputPath: '$.detail' }]);
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'kept.app', DetailType: 'Kept', Detail: '{"after":"restart"}' }] }));
    assert.equal((await receiveOne('kept')).Body, '{"after":"restart"}');
  });

  it('a rule whose target is a Kinesis stream puts the event on it, keyed by KinesisParameters.PartitionKeyPath or by the event id', { timeout: 60_000 }, async () => {
    const kinesis = new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'order-events', ShardCount: 1 }));
      const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/order-events';
      await events.send(new PutRuleCommand({ Name: 'to-stream', EventPattern: JSON.stringify({ source: ['stream.app'] }) }));
      await events.send(new PutTargetsCommand({ Rule: 'to-stream', Targets: [
        { Id: 'by-customer', Arn: arn, KinesisParameters: { PartitionKeyPath: '$.detail.customer' }, InputPath: '$.detail' },
        { Id: 'by-id', Arn: arn },
      ] }));
      const put = await events.send(new PutEventsCommand({ Entries: [{ Source: 'stream.app', DetailType: 'Ordered', Detail: '{"customer":"c-42","total":7}' }] }));
      const eventId = put.Entries?.[0]?.EventId;
      const iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'order-events', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const records = (await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records ?? [];
      const byKey = new Map(records.map((record) => [record.PartitionKey, Buffer.from(record.Data ?? []).toString('utf8')]));
      assert.deepEqual([...byKey.keys()].sort(), ['c-42', eventId].sort());
      assert.equal(byKey.get('c-42'), '{"customer":"c-42","total":7}', 'the target\'s InputPath shapes the record');
      const whole = JSON.parse(byKey.get(eventId as string) as string) as { id: string; source: string; detail: unknown };
      assert.deepEqual([whole.id, whole.source, whole.detail], [eventId, 'stream.app', { customer: 'c-42', total: 7 }]);
    } finally {
      kinesis.destroy();
    }
  });
});
