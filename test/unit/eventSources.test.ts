// Event source mappings end to end: local queues and streams feeding real functions on the process backend (timeScale 0.02).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { EventSources } from '../../src/core/service/eventSources/eventSources';
import { startEventSourcesApi } from '../../src/core/service/eventSources/eventSourcesApi';
import type { BatchReport } from '../../src/core/service/eventSources/pollerContext';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/eventSources');
const ACCOUNT = '123456789012';

type SqsTestRecord = { messageId: string; body: string; attributes: Record<string, string>; [key: string]: unknown };
type KinesisTestRecord = { kinesis: { data: string; sequenceNumber: string; partitionKey: string }; [key: string]: unknown };

/** Polls until `probe` returns a value; the timeout only bounds a hung test, nothing is measured. */
async function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const giveUpAt = Date.now() + 30_000;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('event source mappings', () => {
  let stateDir: string;
  let service: LambdaService;
  let sources: EventSources;
  const reports: BatchReport[] = [];
  const logs: LogRecord[] = [];

  const reportsOf = (functionName: string) => reports.filter((report) => report.functionName === functionName);
  const sqsRecords = (report: BatchReport) => report.event.Records as SqsTestRecord[];
  const kinesisRecords = (report: BatchReport) => report.event.Records as KinesisTestRecord[];
  const dataOf = (record: KinesisTestRecord) => Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  const processedBodies = (functionName: string) =>
    reportsOf(functionName).filter((r) => r.outcome.kind === 'success').flatMap((r) => sqsRecords(r).map((record) => record.body));

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-esm-'));
    const registry = await FunctionRegistry.fromTemplates([path.join(fixtures, 'template.yaml')]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir, logSink: { write: (record) => logs.push(record) } });
    sources = await EventSources.start(service, registry, { timeScale: 0.02, topics: service.topics });
    sources.onDidProcessBatch((report) => reports.push(report));
  });

  after(async () => {
    await sources.dispose();
    await service.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  describe('SQS', () => {
    it('batches by BatchSize and builds the SQS event records', async () => {
      sources.sendMessage('SizeQueue', 'm1', { messageAttributes: { kind: { dataType: 'String', stringValue: 'first' } } });
      for (let i = 2; i <= 7; i++) sources.sendMessage('SizeQueue', `m${i}`);
      await waitFor('7 processed messages', () => processedBodies('SizeFunction').length === 7);
      const batches = reportsOf('SizeFunction');
      assert.deepEqual(batches.map((r) => r.event.Records.length).sort(), [1, 3, 3]);
      assert.ok(batches.every((r) => r.outcome.kind === 'success'));
      assert.deepEqual(sources.queue('SizeQueue').counts(), { visible: 0, inFlight: 0, delayed: 0 });

      const record = batches.flatMap(sqsRecords).find((r) => r.body === 'm1') as SqsTestRecord;
      assert.deepEqual(Object.keys(record), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
      assert.equal(record.md5OfBody, createHash('md5').update('m1').digest('hex'));
      assert.equal(record.eventSource, 'aws:sqs');
      assert.equal(record.eventSourceARN, `arn:aws:sqs:us-east-1:${ACCOUNT}:SizeQueue`);
      assert.equal(record.awsRegion, 'us-east-1');
      assert.deepEqual(Object.keys(record.attributes), ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
      assert.equal(record.attributes.ApproximateReceiveCount, '1');
      assert.match(record.attributes.SentTimestamp, /^\d{13}$/);
      assert.deepEqual(record.messageAttributes, { kind: { stringValue: 'first', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    });

    it('waits for MaximumBatchingWindowInSeconds to gather a batch, and not when the batch is full', async () => {
      sources.sendMessage('WindowQueue', 'w1');
      await new Promise((resolve) => setImmediate(resolve));
      sources.sendMessage('WindowQueue', 'w2');
      await waitFor('the windowed batch', () => processedBodies('WindowFunction').length === 2);
      assert.deepEqual(reportsOf('WindowFunction').map((r) => sqsRecords(r).map((m) => m.body)), [['w1', 'w2']]);

      for (let i = 1; i <= 5; i++) sources.sendMessage('WindowQueue', `full${i}`);
      await waitFor('the full batch', () => processedBodies('WindowFunction').length === 7);
      assert.equal(reportsOf('WindowFunction')[1].event.Records.length, 5);
    });

    it('makes every message of a failed batch visible again after the visibility timeout', async () => {
      sources.sendMessage('ErrorQueue', 'fail-a');
      sources.sendMessage('ErrorQueue', 'ok-b');
      await waitFor('the redelivered batch', () => processedBodies('ErrorFunction').length === 2);
      const [first, second] = reportsOf('ErrorFunction');
      assert.equal(first.outcome.kind, 'failure');
      assert.deepEqual(sqsRecords(second).map((m) => m.messageId), sqsRecords(first).map((m) => m.messageId));
      assert.deepEqual(sqsRecords(second).map((m) => m.attributes.ApproximateReceiveCount), ['2', '2']);
      assert.deepEqual(sources.queue('ErrorQueue').counts(), { visible: 0, inFlight: 0, delayed: 0 });
    });

    it('deletes the successes of a partial batch response and redrives a failing message to the DLQ after maxReceiveCount', async () => {
      for (const body of ['ok-1', 'fail-2', 'ok-3']) sources.sendMessage('PartialQueue', body);
      const dlq = sources.queue('PartialDlq');
      await waitFor('the message in the dead-letter queue', () => dlq.peek().length === 1);
      const [first] = reportsOf('PartialFunction');
      const failed = sqsRecords(first).find((m) => m.body === 'fail-2') as SqsTestRecord;
      assert.deepEqual(first.outcome, { kind: 'partial', failedIds: [failed.messageId] });
      const deliveries = reportsOf('PartialFunction').flatMap(sqsRecords).filter((m) => m.body === 'fail-2');
      assert.deepEqual(deliveries.map((m) => m.attributes.ApproximateReceiveCount), ['1', '2']);
      assert.equal(reportsOf('PartialFunction').flatMap(sqsRecords).filter((m) => m.body !== 'fail-2').length, 2);
      assert.deepEqual(dlq.peek().map((m) => [m.messageId, m.body]), [[failed.messageId, 'fail-2']]);
      assert.deepEqual(sources.queue('PartialQueue').counts(), { visible: 0, inFlight: 0, delayed: 0 });
    });

    it('applies every complete-success and complete-failure rule of ReportBatchItemFailures', async () => {
      const cases: [unknown, 'success' | 'failure'][] = [
        [undefined, 'success'],
        [{}, 'success'],
        [{ batchItemFailures: [] }, 'success'],
        [{ batchItemFailures: null }, 'success'],
        [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'failure'],
        [{ batchItemFailures: [{ itemIdentifier: null }] }, 'failure'],
        [{ batchItemFailures: [{ itemId: 'x' }] }, 'failure'],
        [{ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }, 'failure'],
        [{ batchItemFailures: 'all' }, 'failure'],
        ['just a string', 'failure'],
      ];
      for (const [response, expected] of cases) {
        const body = JSON.stringify({ response, case: reports.length });
        sources.sendMessage('RespondQueue', body);
        const report = await waitFor(`the batch answering ${JSON.stringify(response)}`, () => reportsOf('RespondFunction').find((r) => sqsRecords(r)[0].body === body));
        assert.equal(report.outcome.kind, expected, `response ${JSON.stringify(response)}`);
      }
      // Successes were deleted; failures stay in flight until their visibility timeout.
      assert.equal(sources.queue('RespondQueue').counts().inFlight, cases.filter(([, expected]) => expected === 'failure').length);

      sources.sendMessage('RawQueue', 'not json {');
      const raw = await waitFor('the invalid JSON answer', () => reportsOf('RawFunction')[0]);
      assert.deepEqual(raw.outcome, { kind: 'failure', reason: 'the batch response is not valid JSON' });
    });

    it('keeps FIFO order per message group, deduplicates, and lets other groups proceed', async () => {
      const a1 = sources.sendMessage('Orders.fifo', 'fail-a1', { messageGroupId: 'A' });
      sources.sendMessage('Orders.fifo', 'a2', { messageGroupId: 'A' });
      sources.sendMessage('Orders.fifo', 'b1', { messageGroupId: 'B' });
      assert.equal(sources.sendMessage('Orders.fifo', 'fail-a1', { messageGroupId: 'A' }).messageId, a1.messageId, 'content-based deduplication');
      await waitFor('all three messages', () => processedBodies('FifoFunction').length === 3);
      const groupA = reportsOf('FifoFunction').map((r) => [sqsRecords(r)[0], r.outcome.kind] as const).filter(([m]) => m.attributes.MessageGroupId === 'A');
      assert.deepEqual(groupA.map(([m, outcome]) => `${m.body}:${outcome}`), ['fail-a1:failure', 'fail-a1:success', 'a2:success']);
      const record = groupA[0][0];
      assert.deepEqual(Object.keys(record.attributes), ['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp']);
      assert.equal(record.attributes.SequenceNumber, a1.sequenceNumber);
      assert.equal(record.attributes.MessageDeduplicationId, createHash('sha256').update('fail-a1').digest('hex'));
    });

    it('runs at most 5 batches at a time', async () => {
      for (let i = 0; i < 12; i++) sources.sendMessage('ScaleQueue', `s${i}`);
      await waitFor('12 processed messages', () => processedBodies('ScaleFunction').length === 12);
      assert.equal(service.listInstances().filter((instance) => instance.functionName === 'ScaleFunction').length, 5);
    });

    it('leaves the queue of a disabled mapping alone', async () => {
      sources.sendMessage('PausedQueue', 'waiting');
      sources.sendMessage('SizeQueue', 'barrier');
      await waitFor('the barrier message', () => processedBodies('SizeFunction').includes('barrier'));
      assert.equal(reportsOf('PausedFunction').length, 0);
      assert.equal(sources.queue('PausedQueue').counts().visible, 1);
    });
  });

  describe('streams', () => {
    it('delivers Kinesis records in order, in batches of BatchSize, with the Kinesis record shape', async () => {
      const put = ['r1', 'r2', 'r3', 'r4', 'r5'].map((data) => sources.putRecord('OrdersStream', data, 'customer-1'));
      await waitFor('5 records', () => reportsOf('KinesisFunction').flatMap(kinesisRecords).length === 5);
      const batches = reportsOf('KinesisFunction').map((r) => kinesisRecords(r).map(dataOf));
      assert.deepEqual(batches, [['r1', 'r2'], ['r3', 'r4'], ['r5']]);
      const record = kinesisRecords(reportsOf('KinesisFunction')[0])[0];
      assert.deepEqual(record, {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'customer-1',
          sequenceNumber: put[0].sequenceNumber,
          data: Buffer.from('r1').toString('base64'),
          approximateArrivalTimestamp: (record.kinesis as unknown as { approximateArrivalTimestamp: number }).approximateArrivalTimestamp,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${put[0].sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/KinesisFunctionRole`,
        awsRegion: 'us-east-1',
        eventSourceARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/OrdersStream`,
      });
      const sequence = put.map((p) => BigInt(p.sequenceNumber));
      assert.ok(sequence.every((n, i) => i === 0 || n > sequence[i - 1]));
    });

    it('retries a failing batch MaximumRetryAttempts times, blocking the shard, then sends the on-failure record', async () => {
      const failing = sources.putRecord('RetryStream', 'fail-1', 'k');
      sources.putRecord('RetryStream', 'ok-2', 'k');
      const failures = sources.queue('RetryFailures');
      await waitFor('the next record after the discarded one', () => reportsOf('RetryFunction').some((r) => kinesisRecords(r).map(dataOf).includes('ok-2')));
      const order = reportsOf('RetryFunction').map((r) => `${kinesisRecords(r).map(dataOf).join()}:${r.outcome.kind}`);
      assert.deepEqual(order, ['fail-1:failure', 'fail-1:failure', 'fail-1:failure', 'ok-2:success']);
      await waitFor('the on-failure record', () => failures.peek().length === 1);
      const record = JSON.parse(failures.peek()[0].body);
      assert.deepEqual(record.requestContext.condition, 'RetryAttemptsExhausted');
      assert.equal(record.requestContext.approximateInvokeCount, 3);
      assert.equal(record.requestContext.functionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:RetryFunction`);
      assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
      assert.equal(record.version, '1.0');
      assert.ok(!Number.isNaN(Date.parse(record.timestamp)));
      assert.deepEqual(Object.keys(record.KinesisBatchInfo), ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'approximateArrivalOfFirstRecord', 'approximateArrivalOfLastRecord', 'batchSize', 'streamArn']);
      assert.equal(record.KinesisBatchInfo.startSequenceNumber, failing.sequenceNumber);
      assert.equal(record.KinesisBatchInfo.endSequenceNumber, failing.sequenceNumber);
      assert.equal(record.KinesisBatchInfo.batchSize, 1);
      assert.equal(record.KinesisBatchInfo.streamArn, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/RetryStream`);
    });

    it('publishes the on-failure record to an SNS destination, whose subscribers get it', async () => {
      await service.topics.ready();
      const topic = service.topics.create('StreamFailures');
      const inbox = service.queues.create({ name: 'StreamFailureInbox' });
      service.topics.subscribe(topic, 'sqs', inbox.arn);
      const failing = sources.putRecord('TopicFailureStream', 'fail-once', 'k');
      await waitFor('the record published to the topic', () => inbox.peek().length === 1);
      const envelope = JSON.parse(inbox.peek()[0].body);
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.TopicArn, `arn:aws:sns:us-east-1:${ACCOUNT}:StreamFailures`);
      const record = JSON.parse(envelope.Message);
      assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
      assert.equal(record.requestContext.functionArn, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:TopicFailureFunction`);
      assert.equal(record.KinesisBatchInfo.startSequenceNumber, failing.sequenceNumber);
      assert.equal(record.KinesisBatchInfo.streamArn, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/TopicFailureStream`);
    });

    it('bisects a failing batch until the bad record is isolated, without using retries', async () => {
      const put = ['a', 'b', 'fail-c', 'd'].map((data) => sources.putRecord('BisectStream', data, 'k'));
      const failures = sources.queue('BisectFailures');
      await waitFor('the on-failure record', () => failures.peek().length === 1);
      await waitFor('the last record', () => reportsOf('BisectFunction').some((r) => kinesisRecords(r).map(dataOf).join() === 'd'));
      const order = reportsOf('BisectFunction').map((r) => `${kinesisRecords(r).map(dataOf).join('+')}:${r.outcome.kind}`);
      assert.deepEqual(order, ['a+b+fail-c+d:failure', 'a+b:success', 'fail-c+d:failure', 'fail-c:failure', 'd:success']);
      const record = JSON.parse(failures.peek()[0].body);
      assert.equal(record.KinesisBatchInfo.batchSize, 1);
      assert.equal(record.KinesisBatchInfo.startSequenceNumber, put[2].sequenceNumber);
    });

    it('checkpoints at the lowest reported sequence number and retries from there', async () => {
      const put = ['r1', 'failonce-2', 'r3'].map((data) => sources.putRecord('CheckpointStream', data, 'k'));
      await waitFor('the retried batch', () => reportsOf('CheckpointFunction').length === 2);
      const [first, second] = reportsOf('CheckpointFunction');
      assert.deepEqual(first.outcome, { kind: 'partial', failedIds: [put[1].sequenceNumber] });
      assert.deepEqual(kinesisRecords(second).map((r) => r.kinesis.sequenceNumber), [put[1].sequenceNumber, put[2].sequenceNumber]);
      assert.equal(second.outcome.kind, 'success');
    });

    it('discards records older than MaximumRecordAgeInSeconds', async () => {
      const put = sources.putRecord('AgeStream', 'too-old-eventually', 'k');
      const failures = sources.queue('AgeFailures');
      await waitFor('the on-failure record', () => failures.peek().length === 1);
      const record = JSON.parse(failures.peek()[0].body);
      assert.equal(record.requestContext.condition, 'RecordAgeExceeded');
      assert.equal(record.KinesisBatchInfo.startSequenceNumber, put.sequenceNumber);
      assert.ok(record.requestContext.approximateInvokeCount >= 1);
    });

    it('delivers DynamoDB stream records by StreamViewType and sends DDBStreamBatchInfo to a function destination', async () => {
      sources.putDynamoDbChange('Table', { keys: { id: { S: '1' } }, newImage: { id: { S: '1' }, n: { N: '1' } } });
      const inserted = await waitFor('the INSERT record', () => reportsOf('TableFunction')[0]);
      const record = inserted.event.Records[0] as Record<string, unknown> & { dynamodb: Record<string, unknown> };
      assert.equal(record.eventName, 'INSERT');
      assert.equal(record.eventSource, 'aws:dynamodb');
      assert.equal(record.eventVersion, '1.1');
      assert.equal(record.eventSourceARN, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Table/stream/1970-01-01T00:00:00.000`);
      assert.deepEqual(Object.keys(record.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
      assert.deepEqual(record.dynamodb.NewImage, { id: { S: '1' }, n: { N: '1' } });
      assert.equal(record.dynamodb.StreamViewType, 'NEW_IMAGE');
      assert.equal(inserted.outcome.kind, 'success');

      const modified = sources.putDynamoDbChange('Table', { keys: { id: { S: 'fail' } }, oldImage: { id: { S: 'fail' } }, newImage: { id: { S: 'fail' }, n: { N: '2' } } });
      const line = await waitFor('the on-failure record in the destination function', () => logs.find((l) => l.text.includes('ON_FAILURE_RECORD')));
      const failure = JSON.parse(line.text.slice(line.text.indexOf('ON_FAILURE_RECORD ') + 'ON_FAILURE_RECORD '.length));
      assert.equal(failure.requestContext.condition, 'RetryAttemptsExhausted');
      assert.equal(failure.requestContext.approximateInvokeCount, 1);
      assert.equal(failure.DDBStreamBatchInfo.startSequenceNumber, modified.sequenceNumber);
      assert.equal(failure.DDBStreamBatchInfo.streamArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Table/stream/1970-01-01T00:00:00.000`);
      assert.equal((reportsOf('TableFunction')[1].event.Records[0] as { eventName: string }).eventName, 'MODIFY');
    });

    it('rejects DynamoDB changes that are not DynamoDB JSON', () => {
      assert.throws(() => sources.putDynamoDbChange('Table', { keys: { id: '1' } }), (error) => isWorkbenchError(error, 'EVENT_INVALID'));
      assert.throws(() => sources.putRecord('Nope', 'x', 'k'), (error) => isWorkbenchError(error, 'EVENT_SOURCE_NOT_FOUND'));
    });
  });

  describe('HTTP endpoint', () => {
    it('sends messages and records, reports the overview, and answers bad requests clearly', async () => {
      const api = await startEventSourcesApi(sources, { port: 0 });
      try {
        const post = (route: string, body: string) => fetch(`${api.url}${route}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        const sent = await post('/queues/SizeQueue/messages', JSON.stringify([{ body: 'via-http' }, { body: { json: true } }]));
        assert.equal(sent.status, 200);
        assert.equal(((await sent.json()) as { messages: unknown[] }).messages.length, 2);
        await waitFor('the messages sent over HTTP', () => processedBodies('SizeFunction').includes('{"json":true}') && processedBodies('SizeFunction').includes('via-http'));

        const put = await post('/streams/OrdersStream/records', JSON.stringify({ data: 'via-http', partitionKey: 'k' }));
        assert.equal(put.status, 200);
        await waitFor('the record put over HTTP', () => reportsOf('KinesisFunction').flatMap(kinesisRecords).some((r) => dataOf(r) === 'via-http'));

        const overview = (await (await fetch(api.url)).json()) as { queues: { name: string }[]; streams: { name: string }[]; mappings: { id: string }[] };
        assert.ok(overview.queues.some((q) => q.name === 'Orders.fifo'));
        assert.ok(overview.streams.some((s) => s.name === 'Table'));
        assert.ok(overview.mappings.some((m) => m.id === 'SizeFunction.Queue'));

        const missing = await post('/queues/NoSuchQueue/messages', '{"body":"x"}');
        assert.equal(missing.status, 404);
        assert.match(((await missing.json()) as { message: string }).message, /Queues: .*SizeQueue/);
        const invalid = await post('/queues/SizeQueue/messages', '{not json');
        assert.equal(invalid.status, 400);
        const noBody = await post('/queues/SizeQueue/messages', '{"text":"x"}');
        assert.match(((await noBody.json()) as { message: string }).message, /needs a "body"/);
        const badChange = await post('/streams/Table/changes', '{"keys":{"id":"1"}}');
        assert.equal(badChange.status, 400);
        const rebinding = await new Promise<number | undefined>((resolve, reject) => {
          request({ host: '127.0.0.1', port: api.port, path: '/', headers: { host: `attacker.example:${api.port}` } }, (res) => {
            res.resume();
            resolve(res.statusCode);
          }).on('error', reject).end();
        });
        assert.equal(rebinding, 403);
      } finally {
        await api.close();
      }
    });
  });
});

describe('event source mapping configuration', () => {
  it('rejects settings Lambda rejects, with the template property in the message', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-esm-config-'));
    const registry = await FunctionRegistry.fromTemplates([path.join(fixtures, 'template.yaml')]);
    const service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir });
    const spec = registry.get('SizeFunction');
    assert.ok(spec);
    const withEvent = (properties: Record<string, unknown>, type = 'SQS') =>
      FunctionRegistry.fromSpecs([{ ...spec, events: [{ id: 'Bad', type, properties }] }]);
    try {
      await assert.rejects(
        EventSources.start(service, withEvent({ Queue: 'arn:aws:sqs:us-east-1:123456789012:q', BatchSize: 20 })),
        (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /Events\.Bad\.Properties\.BatchSize of SizeFunction .*MaximumBatchingWindowInSeconds/.test(error.message),
      );
      await assert.rejects(
        EventSources.start(service, withEvent({ Queue: 'arn:aws:sqs:us-east-1:123456789012:q.fifo', BatchSize: 11, MaximumBatchingWindowInSeconds: 1 })),
        (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /FIFO queue: at most 10/.test(error.message),
      );
      await assert.rejects(
        EventSources.start(service, FunctionRegistry.fromSpecs([{ ...spec, timeoutSeconds: 60, events: [{ id: 'Q', type: 'SQS', properties: { Queue: 'arn:aws:sqs:us-east-1:123456789012:q' } }] }])),
        (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /visibility timeout of q \(30 s\) is less than the function timeout \(60 s\)/.test(error.message),
      );
      await assert.rejects(
        EventSources.start(service, withEvent({ Stream: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' }, 'Kinesis')),
        (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /StartingPosition .*is required/.test(error.message),
      );
      await assert.rejects(
        EventSources.start(service, withEvent({ Stream: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 10 }, 'Kinesis')),
        (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /MaximumRecordAgeInSeconds/.test(error.message),
      );
    } finally {
      await service.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
