// `lambda-workbench start` serves SNS and Kinesis on its Lambda port: SNS events reach functions (directly and through SqsSubscription), PutRecords feeds Kinesis mappings,
// topics and the streams' records (with the mappings' positions) outlive a restart.
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  InvalidArgumentException,
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/localServices');
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:orders';

interface Logged {
  functionName: string;
  event: { Records: Record<string, unknown>[] };
}

/** The events the fixture's functions logged ("EVENT <function> <json>"), in order. */
function loggedEvents(endpoint: StartedEndpoint): Logged[] {
  return [...endpoint.output().stderr.matchAll(/EVENT (\S+) (\{.*\})$/gm)].map((match) => ({ functionName: match[1] as string, event: JSON.parse(match[2] as string) as Logged['event'] }));
}

/** The records of every event a function logged, once there are at least `count`. */
async function waitForRecords(endpoint: StartedEndpoint, functionName: string, count: number): Promise<Record<string, unknown>[]> {
  for (;;) {
    const records = loggedEvents(endpoint).filter((logged) => logged.functionName === functionName).flatMap((logged) => logged.event.Records);
    if (records.length >= count) return records;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lambda-workbench start: SNS and Kinesis on the AWS endpoint', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-local-services-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers a published message to the subscribed function as the SNS event, and through SqsSubscription as the envelope; the filter policy drops what it does not match', { timeout: 120_000 }, async () => {
    const endpoint = await startEndpoint(dir, ['--events-port', '0']);
    const sns = new SNSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const sqs = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      assert.match(endpoint.output().stdout, /topic orders -> sqs RawQueue, lambda OrderFunction, sqs AuditFunctionEverythingQueue/);
      const dropped = await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'cancelled', MessageAttributes: { kind: { DataType: 'String', StringValue: 'cancelled' } } }));
      const placed = await sns.send(new PublishCommand({
        TopicArn: TOPIC_ARN,
        Message: '{"order":1}',
        Subject: 'New order',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'placed' }, total: { DataType: 'Number', StringValue: '42.5' } },
      }));

      // The SqsSubscription queue gets both (no filter policy there), each as SNS's JSON envelope in the SQS record's body.
      const audited = await waitForRecords(endpoint, 'AuditFunction', 2);
      const envelopes = audited.map((record) => JSON.parse(record.body as string) as Record<string, unknown>);
      const envelope = envelopes.find((body) => body.MessageId === placed.MessageId);
      assert.ok(envelope, JSON.stringify(envelopes));
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.TopicArn, TOPIC_ARN);
      assert.equal(envelope.Subject, 'New order');
      assert.equal(envelope.Message, '{"order":1}');
      assert.equal(envelope.SignatureVersion, '1');
      assert.deepEqual(envelope.MessageAttributes, { kind: { Type: 'String', Value: 'placed' }, total: { Type: 'Number', Value: '42.5' } });
      assert.match(String(envelope.UnsubscribeURL), new RegExp(`^${endpoint.url}/\\?Action=Unsubscribe&SubscriptionArn=`));
      assert.ok(envelopes.some((body) => body.MessageId === dropped.MessageId && body.Message === 'cancelled'));
      assert.equal(audited[0]?.eventSource, 'aws:sqs');

      // The AWS::SNS::Subscription of RawQueue: raw delivery, a body filter policy that only JSON orders pass.
      const raw = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint.url}/123456789012/RawQueue`, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];
      assert.deepEqual(raw.map((m) => [m.Body, m.MessageAttributes?.kind?.StringValue, m.MessageAttributes?.total?.DataType]), [['{"order":1}', 'placed', 'Number']]);

      // OrderFunction's filter policy lets only kind=placed through: one event, with SNS's Lambda record, field by field.
      const [record] = (await waitForRecords(endpoint, 'OrderFunction', 1)) as [Record<string, unknown>];
      assert.deepEqual(Object.keys(record), ['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
      assert.equal(record.EventSource, 'aws:sns');
      assert.equal(record.EventVersion, '1.0');
      assert.match(String(record.EventSubscriptionArn), new RegExp(`^${TOPIC_ARN}:[0-9a-f-]{36}$`));
      const message = record.Sns as Record<string, unknown>;
      assert.deepEqual(Object.keys(message), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
      assert.equal(message.Type, 'Notification');
      assert.equal(message.MessageId, placed.MessageId);
      assert.equal(message.TopicArn, TOPIC_ARN);
      assert.equal(message.Subject, 'New order');
      assert.equal(message.Message, '{"order":1}');
      assert.match(String(message.Timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(message.SignatureVersion, '1');
      assert.ok(Buffer.from(String(message.Signature), 'base64').length === 256);
      assert.equal(message.UnsubscribeUrl, `${endpoint.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(String(record.EventSubscriptionArn))}`);
      assert.deepEqual(message.MessageAttributes, { kind: { Type: 'String', Value: 'placed' }, total: { Type: 'Number', Value: '42.5' } });
      assert.equal(loggedEvents(endpoint).filter((l) => l.functionName === 'OrderFunction').length, 1, 'the message the filter policy drops reaches no function');
    } finally {
      sns.destroy();
      sqs.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('puts records with PutRecords on the shard of their partition key\'s MD5, where the Kinesis mapping reads them', { timeout: 120_000 }, async () => {
    const endpoint = await startEndpoint(dir, ['--events-port', '0']);
    // The JavaScript SDK's Kinesis client speaks HTTP/2 (cleartext, to an http:// endpoint); the AWS CLI and boto3 HTTP/1.1.
    const kinesis = new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, ['clicks']);
      const description = (await kinesis.send(new DescribeStreamCommand({ StreamName: 'clicks' }))).StreamDescription;
      assert.deepEqual(description?.Shards?.map((shard) => [shard.ShardId, shard.HashKeyRange?.StartingHashKey, shard.HashKeyRange?.EndingHashKey]), [
        ['shardId-000000000000', '0', '170141183460469231731687303715884105727'],
        ['shardId-000000000001', '170141183460469231731687303715884105728', '340282366920938463463374607431768211455'],
      ]);
      const keys = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6'];
      const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: keys.map((key) => ({ PartitionKey: key, Data: Buffer.from(`click by ${key}`) })) }));
      assert.equal(put.FailedRecordCount, 0);
      const expectedShard = (key: string) => (BigInt(`0x${createHash('md5').update(key).digest('hex')}`) < 1n << 127n ? 'shardId-000000000000' : 'shardId-000000000001');
      assert.deepEqual(put.Records?.map((record) => record.ShardId), keys.map(expectedShard));

      const received = await waitForRecords(endpoint, 'ClickFunction', keys.length);
      for (const [index, key] of keys.entries()) {
        const record = received.find((candidate) => (candidate.kinesis as Record<string, string>).partitionKey === key) as Record<string, unknown>;
        const data = record.kinesis as Record<string, string>;
        assert.equal(Buffer.from(data.data as string, 'base64').toString(), `click by ${key}`);
        assert.equal(data.sequenceNumber, put.Records?.[index]?.SequenceNumber);
        assert.equal(record.eventID, `${expectedShard(key)}:${data.sequenceNumber}`);
        assert.equal(record.eventSourceARN, 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
      }

      // A stream made with CreateStream takes records too (ExplicitHashKey picks the shard), though no mapping reads it.
      await kinesis.send(new CreateStreamCommand({ StreamName: 'made', ShardCount: 4 }));
      const summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'made' }))).StreamDescriptionSummary;
      assert.deepEqual([summary?.StreamStatus, summary?.OpenShardCount, summary?.StreamARN], ['ACTIVE', 4, 'arn:aws:kinesis:us-east-1:123456789012:stream/made']);
      const single = await kinesis.send(new PutRecordCommand({ StreamName: 'made', PartitionKey: 'any', Data: Buffer.from('x'), ExplicitHashKey: String((1n << 127n) + 1n) }));
      assert.equal(single.ShardId, 'shardId-000000000002');
      const badKey = await kinesis.send(new PutRecordCommand({ StreamName: 'made', PartitionKey: 'any', Data: Buffer.from('x'), ExplicitHashKey: String(1n << 128n) })).then(() => undefined, (error: unknown) => error);
      assert.ok(badKey instanceof InvalidArgumentException);
      const exists = await kinesis.send(new CreateStreamCommand({ StreamName: 'made', ShardCount: 1 })).then(() => undefined, (error: unknown) => error);
      assert.ok(exists instanceof ResourceInUseException);

      const missing = await kinesis.send(new PutRecordsCommand({ StreamName: 'nope', Records: [{ PartitionKey: 'k', Data: Buffer.from('x') }] })).then(() => undefined, (error: unknown) => error);
      assert.ok(missing instanceof ResourceNotFoundException);
      assert.equal(missing.message, 'Stream nope under account 123456789012 not found.');
    } finally {
      kinesis.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('keeps topics and subscriptions made through the API across a restart', { timeout: 120_000 }, async () => {
    let endpoint = await startEndpoint(dir, ['--events-port', '0']);
    let sns = new SNSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let subscriptionArn: string | undefined;
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'made-by-api' }));
      subscriptionArn = (await sns.send(new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:OrderFunction',
      }))).SubscriptionArn;
    } finally {
      sns.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }

    endpoint = await startEndpoint(dir, ['--events-port', '0']);
    sns = new SNSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((topic) => topic.TopicArn);
      assert.deepEqual(topics, ['arn:aws:sns:us-east-1:123456789012:made-by-api', TOPIC_ARN]);
      const subscriptions = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:made-by-api' }))).Subscriptions;
      assert.deepEqual(subscriptions?.map((s) => s.SubscriptionArn), [subscriptionArn]);
      // Template subscriptions keep their ARN too (made from what they connect).
      const templateSubscriptions = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC_ARN }))).Subscriptions ?? [];
      assert.deepEqual(templateSubscriptions.map((s) => s.Protocol).sort(), ['lambda', 'sqs', 'sqs']);
      const published = await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:made-by-api', Message: 'after restart' }));
      const [record] = await waitForRecords(endpoint, 'OrderFunction', 1);
      assert.equal((record?.Sns as Record<string, unknown>).MessageId, published.MessageId);
    } finally {
      sns.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });

  it('keeps the streams\' records, their sequence numbers and the mapping\'s position across a restart: records put while it was off are read once, after it', { timeout: 180_000 }, async () => {
    const own = mkdtempSync(join(tmpdir(), 'lwb-kinesis-restart-'));
    cpSync(FIXTURE, own, { recursive: true });
    const put = async (kinesis: KinesisClient, keys: string[]) =>
      (await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: keys.map((key) => ({ PartitionKey: key, Data: Buffer.from(`click by ${key}`) })) }))).Records ?? [];
    const sequenceOf = (record: Record<string, unknown>) => (record.kinesis as Record<string, string>).sequenceNumber;
    const clickMapping = async (endpoint: StartedEndpoint) => {
      const mappings = (await endpoint.client.send(new ListEventSourceMappingsCommand({ FunctionName: 'ClickFunction' }))).EventSourceMappings ?? [];
      assert.equal(mappings.length, 1);
      return mappings[0]?.UUID as string;
    };
    let endpoint = await startEndpoint(own, ['--events-port', '0']);
    let kinesis = new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let before: string[];
    let made: string | undefined;
    try {
      const consumed = await put(kinesis, ['a-1', 'a-2', 'a-3']);
      assert.equal((await waitForRecords(endpoint, 'ClickFunction', 3)).length, 3);
      // The mapping is turned off; two more records are accepted and nobody reads them before the stop.
      const uuid = await clickMapping(endpoint);
      await endpoint.client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
      for (;;) {
        const mapping = (await endpoint.client.send(new ListEventSourceMappingsCommand({ FunctionName: 'ClickFunction' }))).EventSourceMappings?.[0];
        if (mapping?.State === 'Disabled') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      before = [...consumed, ...(await put(kinesis, ['b-1', 'b-2']))].map((record) => record.SequenceNumber as string);
      // A stream made with CreateStream is kept too.
      await kinesis.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 1 }));
      made = (await kinesis.send(new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'k', Data: Buffer.from('kept record') }))).SequenceNumber;
    } finally {
      kinesis.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }

    endpoint = await startEndpoint(own, ['--events-port', '0']);
    kinesis = new KinesisClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, ['clicks', 'kept']);
      const kept = (await kinesis.send(new DescribeStreamCommand({ StreamName: 'kept' }))).StreamDescription;
      assert.equal(kept?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber, made);
      // Sequence numbers go on from where they were.
      const [after] = await put(kinesis, ['c-1']);
      assert.ok(BigInt(after?.SequenceNumber as string) > BigInt(before.at(-1) as string), `${after?.SequenceNumber} after ${before.at(-1)}`);
      // Turned on again: the mapping reads the two records it had not read, then the new one, and none of the first three again.
      await endpoint.client.send(new UpdateEventSourceMappingCommand({ UUID: await clickMapping(endpoint), Enabled: true }));
      const received = await waitForRecords(endpoint, 'ClickFunction', 3);
      assert.deepEqual(received.map(sequenceOf).sort(), [before[3], before[4], after?.SequenceNumber].sort());
      assert.deepEqual(received.map((record) => Buffer.from((record.kinesis as Record<string, string>).data as string, 'base64').toString()).sort(), ['click by b-1', 'click by b-2', 'click by c-1']);
      // Nothing more arrives (the records before the stop were done): the batches' count is settled once the three are in.
      assert.equal(loggedEvents(endpoint).flatMap((logged) => logged.event.Records).length, 3);
    } finally {
      kinesis.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      rmSync(own, { recursive: true, force: true });
    }
  });
});
