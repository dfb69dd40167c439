// Local EventBridge on the AWS endpoint through the AWS SDK v3 EventBridge client: buses, rules, targets, PutEvents' per-entry errors and limits, AWS's error shapes.
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startAwsEndpoint, type AwsEndpoint } from '../../src/core/api/awsEndpoint';
import { eventBridgeApi } from '../../src/core/api/eventbridge/eventBridgeApi';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { EngineUnderTest } from '../support/engineBehaviours';

type SdkError = Error & { $metadata: { httpStatusCode?: number } };

async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

/** A raw JSON 1.1 request, to see the answer's exact bytes and headers. */
function post(url: string, target: string, body: string): Promise<{ status: number; type: string | undefined; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('local EventBridge on the AWS endpoint (SDK v3 EventBridge client)', () => {
  const engine = new EngineUnderTest();
  let endpoint: AwsEndpoint;
  let client: EventBridgeClient;
  let sqs: SQSClient;

  before(async () => {
    engine.start(new ProcessBackend(), []);
    endpoint = await startAwsEndpoint([sqsApi(async () => engine.service.queues), eventBridgeApi(async () => engine.service.eventBuses)], { port: 0 });
    const config = { endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
    client = new EventBridgeClient(config);
    sqs = new SQSClient(config);
  });

  after(async () => {
    client.destroy();
    sqs.destroy();
    await endpoint.close();
    await engine.dispose();
  });

  it('creates, describes, lists and deletes buses; the default bus is always there', async () => {
    const made = await client.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
    assert.equal(made.EventBusArn, 'arn:aws:events:us-east-1:123456789012:event-bus/orders');
    const described = await client.send(new DescribeEventBusCommand({ Name: 'orders' }));
    assert.equal(described.Arn, made.EventBusArn);
    assert.equal(described.Description, 'order events');
    assert.deepEqual((await client.send(new ListEventBusesCommand({}))).EventBuses?.map((bus) => bus.Name), ['default', 'orders']);
    const again = await rejection(client.send(new CreateEventBusCommand({ Name: 'orders' })));
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    assert.equal(again.message, 'Event bus orders already exists.');
    assert.equal((await rejection(client.send(new DeleteEventBusCommand({ Name: 'default' })))).name, 'ValidationException');
    await client.send(new DeleteEventBusCommand({ Name: 'orders' }));
    const gone = await rejection(client.send(new DescribeEventBusCommand({ Name: 'orders' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.message, 'Event bus orders does not exist.');
  });

  it('puts, describes, enables, disables, lists and deletes rules and their targets', async () => {
    const pattern = JSON.stringify({ source: ['app'] });
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'r1', EventPattern: pattern, Description: 'first' }));
    assert.equal(RuleArn, 'arn:aws:events:us-east-1:123456789012:rule/r1');
    await client.send(new DisableRuleCommand({ Name: 'r1' }));
    const described = await client.send(new DescribeRuleCommand({ Name: 'r1' }));
    assert.deepEqual([described.Name, described.Arn, described.EventPattern, described.State, described.Description, described.EventBusName], ['r1', RuleArn, pattern, 'DISABLED', 'first', 'default']);
    await client.send(new EnableRuleCommand({ Name: 'r1' }));
    assert.equal((await client.send(new DescribeRuleCommand({ Name: 'r1' }))).State, 'ENABLED');

    const put = await client.send(new PutTargetsCommand({ Rule: 'r1', Targets: [{ Id: 'a', Arn: 'arn:aws:sqs:us-east-1:123456789012:q1' }, { Id: 'b', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', Input: '{"x":1}' }] }));
    assert.equal(put.FailedEntryCount, 0);
    assert.deepEqual((await client.send(new ListTargetsByRuleCommand({ Rule: 'r1' }))).Targets?.map((t) => t.Id), ['a', 'b']);
    assert.deepEqual((await client.send(new ListRuleNamesByTargetCommand({ TargetArn: 'arn:aws:sqs:us-east-1:123456789012:q1' }))).RuleNames, ['r1']);
    const blocked = await rejection(client.send(new DeleteRuleCommand({ Name: 'r1' })));
    assert.equal(blocked.name, 'ValidationException');
    assert.equal(blocked.message, "Rule can't be deleted since it has targets.");
    const removed = await client.send(new RemoveTargetsCommand({ Rule: 'r1', Ids: ['a', 'b', 'missing'] }));
    assert.equal(removed.FailedEntryCount, 1);
    assert.equal(removed.FailedEntries?.[0]?.TargetId, 'missing');
    await client.send(new DeleteRuleCommand({ Name: 'r1' }));
    const missing = await rejection(client.send(new DescribeRuleCommand({ Name: 'r1' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, 'Rule r1 does not exist on EventBus default.');
  });

  it('pages ListRules with Limit and NextToken', async () => {
    for (const name of ['p1', 'p2', 'p3']) await client.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["p"]}' }));
    const first = await client.send(new ListRulesCommand({ NamePrefix: 'p', Limit: 2 }));
    assert.deepEqual(first.Rules?.map((rule) => rule.Name), ['p1', 'p2']);
    const second = await client.send(new ListRulesCommand({ NamePrefix: 'p', Limit: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.Rules?.map((rule) => rule.Name), ['p3']);
    assert.equal(second.NextToken, undefined);
  });

  it('refuses invalid patterns, rules without pattern or schedule, and targets with two inputs', async () => {
    const invalid = await rejection(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[{"prefixx":"a"}]}' })));
    assert.equal(invalid.name, 'InvalidEventPatternException');
    assert.match(invalid.message, /^Event pattern is not valid\. Reason: Unrecognized match type prefixx/);
    const neither = await rejection(client.send(new PutRuleCommand({ Name: 'bad' })));
    assert.equal(neither.message, 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    await client.send(new PutRuleCommand({ Name: 'two-inputs', EventPattern: '{"source":["x"]}' }));
    const two = await rejection(client.send(new PutTargetsCommand({ Rule: 'two-inputs', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:123456789012:q', Input: '{}', InputPath: '$.detail' }] })));
    assert.equal(two.name, 'ValidationException');
    const noRule = await rejection(client.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] })));
    assert.equal(noRule.name, 'ResourceNotFoundException');
    // The model's constraints, in AWS's validation wording.
    const name = await rejection(client.send(new PutRuleCommand({ Name: 'has space', EventPattern: '{"source":["x"]}' })));
    assert.equal(name.name, 'ValidationException');
    assert.match(name.message, /^1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('PutEvents answers per-entry errors as EventBridge does and delivers the valid entries', async () => {
    engine.service.queues.create({ name: 'sink' });
    await client.send(new PutRuleCommand({ Name: 'to-sink', EventPattern: '{"source":["entries"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'to-sink', Targets: [{ Id: 'sink', Arn: 'arn:aws:sqs:us-east-1:123456789012:sink' }] }));
    const result = await client.send(new PutEventsCommand({
      Entries: [
        { Source: 'entries', DetailType: 'ok', Detail: '{"n":1}' },
        { DetailType: 'no source', Detail: '{}' },
        { Source: 'entries', Detail: '{}' },
        { Source: 'entries', DetailType: 'not an object', Detail: '[1]' },
        { Source: 'aws.ec2', DetailType: 'reserved', Detail: '{}' },
        { Source: 'entries', DetailType: 'no bus', Detail: '{}', EventBusName: 'missing' },
      ],
    }));
    assert.equal(result.FailedEntryCount, 5);
    const [ok, ...failed] = result.Entries ?? [];
    assert.match(ok?.EventId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(failed.map((entry) => [entry.ErrorCode, entry.ErrorMessage]), [
      ['InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
      ['InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
      ['MalformedDetail', 'Detail is malformed.'],
      ['NotAuthorizedForSourceException', 'Not authorized for the source.'],
      ['ResourceNotFoundException', 'Event bus missing does not exist.'],
    ]);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint.url}/123456789012/sink`, MaxNumberOfMessages: 10 }));
    assert.equal(Messages?.length, 1);
    const delivered = JSON.parse(Messages?.[0]?.Body ?? '');
    assert.equal(delivered.id, ok?.EventId);
    assert.deepEqual(delivered.detail, { n: 1 });
  });

  it('delivers to an SNS topic target, whose subscribers get the event as the message', async () => {
    await engine.service.topics.ready();
    const topic = engine.service.topics.create('bus-alerts');
    const inbox = engine.service.queues.create({ name: 'alerts-inbox' });
    engine.service.topics.subscribe(topic, 'sqs', inbox.arn, { RawMessageDelivery: 'true' });
    await client.send(new PutRuleCommand({ Name: 'to-topic', EventPattern: '{"source":["alerts"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'to-topic', Targets: [{ Id: 'topic', Arn: topic.arn, InputPath: '$.detail' }] }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'alerts', DetailType: 'disk', Detail: '{"free":3}' }] }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint.url}/123456789012/alerts-inbox`, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages?.map((message) => message.Body), ['{"free":3}']);
  });

  it('refuses entries over 256 KB and more than 10 entries', async () => {
    const detail = JSON.stringify({ text: 'x'.repeat(256 * 1024) });
    const large = await rejection(client.send(new PutEventsCommand({ Entries: [{ Source: 'big', DetailType: 'big', Detail: detail }] })));
    assert.equal(large.name, 'ValidationException');
    assert.equal(large.message, 'Total size of the entries in the request is over the limit.');
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    const many = await rejection(client.send(new PutEventsCommand({ Entries: entries })));
    assert.equal(many.name, 'ValidationException');
    assert.match(many.message, /Member must have length less than or equal to 10/);
  });

  it('TestEventPattern matches as rules do', async () => {
    const event = JSON.stringify({ id: '1', account: '123456789012', source: 'app', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 't', resources: [], detail: { n: 5 } });
    assert.equal((await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",1]}]}}', Event: event }))).Result, true);
    assert.equal((await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",9]}]}}', Event: event }))).Result, false);
    const incomplete = await rejection(client.send(new TestEventPatternCommand({ EventPattern: '{}', Event: '{"source":"app"}' })));
    assert.equal(incomplete.name, 'ValidationException');
  });

  it('answers JSON 1.1 with bare __type names; an unknown operation names the served ones', async () => {
    const missing = await post(endpoint.url, 'AWSEvents.DescribeRule', '{"Name":"nope"}');
    assert.equal(missing.status, 400);
    assert.equal(missing.type, 'application/x-amz-json-1.1');
    assert.deepEqual(missing.body, { __type: 'ResourceNotFoundException', message: 'Rule nope does not exist on EventBus default.' });
    const required = await post(endpoint.url, 'AWSEvents.DescribeRule', '{}');
    assert.deepEqual(required.body, { __type: 'ValidationException', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" });
    const unknown = await post(endpoint.url, 'AWSEvents.CreateArchive', '{"ArchiveName":"a","EventSourceArn":"arn"}');
    assert.equal(unknown.body.__type, 'UnknownOperationException');
    assert.match(String(unknown.body.message), /CreateArchive is not emulated by Lambda Workbench\. Served actions: .*PutEvents/);
  });
});
