// Local SQS on the AWS endpoint through the AWS SDK v3 SQS client (JSON protocol) and raw query-protocol requests: actions, FIFO, redrive, errors, durability.
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAwsEndpoint, type AwsEndpoint } from '../../src/core/api/awsEndpoint';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { LocalQueues } from '../../src/core/service/eventSources/localQueues';
import { failure } from '../support/startedEndpoint';

describe('local SQS on the AWS endpoint (SDK v3 SQS client)', () => {
  let dir: string;
  let queues: LocalQueues;
  let endpoint: AwsEndpoint;
  let client: SQSClient;

  const start = async () => {
    queues = new LocalQueues({ stateDir: dir });
    endpoint = await startAwsEndpoint([sqsApi(async () => queues)], { port: 0 });
    client = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  };
  const stop = async () => {
    client.destroy();
    await endpoint.close();
    await queues.dispose();
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sqs-api-'));
    await start();
  });

  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, finds, lists, configures and deletes queues', async () => {
    const created = await client.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' }, tags: { team: 'a' } }));
    assert.equal(created.QueueUrl, `${endpoint.url}/123456789012/orders`);
    // The same name and attributes: the same queue; a different value: QueueAlreadyExists.
    assert.equal((await client.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' } }))).QueueUrl, created.QueueUrl);
    const exists = await failure(client.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '5' } })));
    assert.equal(exists.name, 'QueueNameExists');
    assert.equal(exists.message, 'A queue already exists with the same name and a different value for attribute VisibilityTimeout');

    assert.equal((await client.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, created.QueueUrl);
    await client.send(new CreateQueueCommand({ QueueName: 'other' }));
    assert.deepEqual((await client.send(new ListQueuesCommand({ QueueNamePrefix: 'ord' }))).QueueUrls, [created.QueueUrl]);

    await client.send(new SetQueueAttributesCommand({ QueueUrl: created.QueueUrl, Attributes: { DelaySeconds: '0', MaximumMessageSize: '2048' } }));
    const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
    assert.equal(attributes.VisibilityTimeout, '45');
    assert.equal(attributes.MaximumMessageSize, '2048');
    assert.equal(attributes.QueueArn, 'arn:aws:sqs:us-east-1:123456789012:orders');
    assert.equal(attributes.ApproximateNumberOfMessages, '0');
    assert.equal(attributes.MessageRetentionPeriod, '345600');

    const invalid = await failure(client.send(new SetQueueAttributesCommand({ QueueUrl: created.QueueUrl, Attributes: { VisibilityTimeout: '99999' } })));
    assert.equal(invalid.message, 'Invalid value for the parameter VisibilityTimeout.');
    const unknown = await failure(client.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['Colour' as 'All'] })));
    assert.equal(unknown.name, 'InvalidAttributeName');

    await client.send(new DeleteQueueCommand({ QueueUrl: created.QueueUrl }));
    const gone = await failure(client.send(new GetQueueUrlCommand({ QueueName: 'orders' })));
    assert.ok(gone instanceof QueueDoesNotExist, `${gone.name}: ${gone.message}`);
    assert.equal(gone.message, 'The specified queue does not exist.');
    assert.equal(gone.$metadata?.httpStatusCode, 400);
  });

  it('sends and receives with message and system attributes, visibility timeout and deletes (the SDK checks the MD5s)', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'messages', Attributes: { VisibilityTimeout: '30' } }));
    const sent = await client.send(new SendMessageCommand({
      QueueUrl,
      MessageBody: 'hello <&> "world"',
      MessageAttributes: {
        colour: { DataType: 'String', StringValue: 'blue' },
        size: { DataType: 'Number', StringValue: '3' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      },
    }));
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('hello <&> "world"').digest('hex'));
    assert.match(sent.MD5OfMessageAttributes ?? '', /^[0-9a-f]{32}$/);
    // SQS's attribute digest: per name in order, length-prefixed name, type, transport byte (1 text) and value.
    const single = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } } }));
    const encoded = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('colour'), Buffer.from([0, 0, 0, 6]), Buffer.from('String'), Buffer.from([1, 0, 0, 0, 4]), Buffer.from('blue')]);
    assert.equal(single.MD5OfMessageAttributes, createHash('md5').update(encoded).digest('hex'));

    const received = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    const [message, second] = received.Messages ?? [];
    assert.equal(second?.Body, 'x');
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second?.ReceiptHandle }));
    assert.ok(message);
    assert.equal(message.Body, 'hello <&> "world"');
    assert.equal(message.MessageId, sent.MessageId);
    assert.equal(message.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(message.MessageAttributes?.colour, { DataType: 'String', StringValue: 'blue' });
    assert.deepEqual(Buffer.from(message.MessageAttributes?.raw?.BinaryValue ?? []), Buffer.from([1, 2, 3]));
    assert.equal(message.Attributes?.ApproximateReceiveCount, '1');
    assert.equal(message.Attributes?.SenderId, 'AIDA123456789012LOCAL');
    assert.match(message.Attributes?.SentTimestamp ?? '', /^\d{13}$/);

    // Hidden for the visibility timeout; ChangeMessageVisibility 0 makes it visible again, with a second receive count.
    assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = (await client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages?.[0];
    assert.equal(again?.Attributes?.ApproximateReceiveCount, '2');
    assert.deepEqual(Object.keys(again?.Attributes ?? {}), ['ApproximateReceiveCount']);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again?.ReceiptHandle }));
    const counts = (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes;
    assert.deepEqual(counts, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    const badHandle = await failure(client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })));
    assert.equal(badHandle.name, 'ReceiptHandleIsInvalid');
    assert.equal(badHandle.message, 'The input receipt handle "not-a-handle" is not a valid receipt handle.');
  });

  it('sends and deletes in batches, with per-entry failures and batch errors', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'batches' }));
    const batch = await client.send(new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two', DelaySeconds: 901 },
        { Id: 'c', MessageBody: 'three' },
      ],
    }));
    assert.deepEqual(batch.Successful?.map((entry) => entry.Id), ['a', 'c']);
    assert.equal(batch.Failed?.[0]?.Id, 'b');
    assert.equal(batch.Failed?.[0]?.Code, 'InvalidParameterValue');
    assert.equal(batch.Failed?.[0]?.SenderFault, true);

    const received = (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
    assert.deepEqual(received.map((m) => m.Body).sort(), ['one', 'three']);
    const deleted = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: received.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    assert.equal(deleted.Successful?.length, 2);

    const empty = await failure(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
    assert.equal(empty.name, 'EmptyBatchRequest');
    const tooMany = await failure(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) })));
    assert.equal(tooMany.name, 'TooManyEntriesInBatchRequest');
    const repeated = await failure(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })));
    assert.equal(repeated.name, 'BatchEntryIdsNotDistinct');
  });

  it('enforces the 1 MiB message limit and valid characters', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'limits' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024 * 1024) }));
    const tooLarge = await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024 * 1024 + 1) })));
    assert.equal(tooLarge.name, 'InvalidParameterValue');
    assert.equal(tooLarge.message, 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.');
    const control = await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell\u0007' })));
    assert.equal(control.name, 'InvalidMessageContents');
    const missing = await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: undefined as unknown as string })));
    assert.equal(missing.name, 'MissingParameter');
    assert.equal(missing.message, 'The request must contain the parameter MessageBody.');
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    const purgeAgain = await failure(client.send(new PurgeQueueCommand({ QueueUrl })));
    assert.equal(purgeAgain.name, 'PurgeQueueInProgress');
  });

  it('long-polls until a message arrives', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'waiting' }));
    const receiving = client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    assert.equal((await receiving).Messages?.[0]?.Body, 'late');
  });

  it('FIFO: deduplicates, keeps a group in order and holds it while a message is in flight', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true' } }));
    const first = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a1', MessageGroupId: 'a', MessageDeduplicationId: 'd1' }));
    const duplicate = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a1 again', MessageGroupId: 'a', MessageDeduplicationId: 'd1' }));
    assert.equal(duplicate.MessageId, first.MessageId);
    assert.match(first.SequenceNumber ?? '', /^\d+$/);
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a2', MessageGroupId: 'a', MessageDeduplicationId: 'd2' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b1', MessageGroupId: 'b', MessageDeduplicationId: 'd3' }));

    const noDedup = await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'a' })));
    assert.equal(noDedup.message, 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const noGroup = await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd9' })));
    assert.equal(noGroup.name, 'MissingParameter');

    const firstReceive = (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }))).Messages ?? [];
    // a1 then a2 from group a (in order), b1 from group b.
    assert.deepEqual(firstReceive.map((m) => m.Body), ['a1', 'a2', 'b1']);
    assert.equal(firstReceive[0]?.Attributes?.MessageGroupId, 'a');
    // Everything is in flight: nothing more until the group's messages are deleted or visible again.
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a3', MessageGroupId: 'a', MessageDeduplicationId: 'd4' }));
    assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    for (const message of firstReceive) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, 'a3');
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue of its RedrivePolicy', async () => {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'dead' }));
    const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const { QueueUrl } = await client.send(new CreateQueueCommand({
      QueueName: 'source',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) },
    }));
    const badPolicy = await failure(client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 0 }) } })));
    assert.match(badPolicy.message, /Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive\.$/);
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    const once = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0];
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: once?.ReceiptHandle, VisibilityTimeout: 0 }));
    assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    const dead = (await client.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }))).Messages?.[0];
    assert.equal(dead?.Body, 'poison');
    assert.equal(dead?.MessageId, once?.MessageId);
    assert.equal(dead?.Attributes?.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:123456789012:source');
  });

  it('redrives a dead-letter queue with StartMessageMoveTask, back to its source or to a destination, and lists the task', async () => {
    const arnOf = async (url?: string) => (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'redrive-dlq' }));
    const dlqArn = await arnOf(dlq.QueueUrl);
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'redrive-source', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }));
    const other = await client.send(new CreateQueueCommand({ QueueName: 'redrive-other' }));
    /** Sends a message to the source and fails it once, so its next receive moves it to the dead-letter queue. */
    const poison = async (body: string) => {
      const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
      const once = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0];
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: once?.ReceiptHandle, VisibilityTimeout: 0 }));
      assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
      return sent.MessageId;
    };
    const first = await poison('redrive me');
    const started = await client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    assert.ok(started.TaskHandle);
    const back = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0];
    assert.deepEqual([back?.MessageId, back?.Body], [first, 'redrive me'], 'the message is back in its source queue, with its id');
    const listed = (await client.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results ?? [];
    assert.equal(listed.length, 1);
    assert.deepEqual({ ...listed[0], StartedTimestamp: undefined }, {
      TaskHandle: started.TaskHandle, Status: 'COMPLETED', SourceArn: dlqArn, ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1, StartedTimestamp: undefined,
    });
    assert.ok(Math.abs((listed[0]?.StartedTimestamp ?? 0) - Date.now()) < 60_000);

    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: back?.ReceiptHandle }));
    const second = await poison('somewhere else');
    await client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: await arnOf(other.QueueUrl), MaxNumberOfMessagesPerSecond: 10 }));
    const moved = (await client.send(new ReceiveMessageCommand({ QueueUrl: other.QueueUrl }))).Messages?.[0];
    assert.deepEqual([moved?.MessageId, moved?.Body], [second, 'somewhere else']);
    const both = (await client.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }))).Results ?? [];
    assert.deepEqual(both.map((task) => [task.DestinationArn, task.MaxNumberOfMessagesPerSecond]), [[await arnOf(other.QueueUrl), 10], [undefined, undefined]], 'newest first');

    const notDlq = await failure(client.send(new StartMessageMoveTaskCommand({ SourceArn: await arnOf(QueueUrl) })));
    assert.deepEqual([notDlq.name, notDlq.message], ['InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.']);
    const missing = await failure(client.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:123456789012:no-such-queue' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const cancel = await failure(client.send(new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle })));
    assert.equal(cancel.name, 'UnsupportedOperation');
    assert.match(cancel.message, /Only a task whose status is RUNNING can be cancelled; this one is COMPLETED\./);
  });

  it('moves MaxNumberOfMessagesPerSecond messages a second: RUNNING with its progress, one task per queue, cancelled midway', async () => {
    const arnOf = async (url?: string) => (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'paced-dlq' }));
    const dlqArn = await arnOf(dlq.QueueUrl);
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'paced-source', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }));
    for (let i = 0; i < 5; i++) await client.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    // Each received once and made visible again: the next receive moves all five to the dead-letter queue.
    for (const message of (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []) {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
    const latest = async () => (await client.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results?.[0];

    // One a second (at the queues' time scale of 1): the first at once, the others in the seconds after.
    const slow = await client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const running = await latest();
    assert.deepEqual([running?.TaskHandle, running?.Status, running?.ApproximateNumberOfMessagesToMove], [slow.TaskHandle, 'RUNNING', 5]);
    assert.ok((running?.ApproximateNumberOfMessagesMoved ?? 0) >= 1 && (running?.ApproximateNumberOfMessagesMoved ?? 0) < 5, JSON.stringify(running));
    const second = await failure(client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })));
    assert.deepEqual([second.name, second.message], ['UnsupportedOperation', 'Only one active message movement task is supported per queue at any given time.']);
    const cancelled = await client.send(new CancelMessageMoveTaskCommand({ TaskHandle: slow.TaskHandle }));
    const stopped = await latest();
    assert.equal(stopped?.Status, 'CANCELLED');
    assert.equal(cancelled.ApproximateNumberOfMessagesMoved, stopped?.ApproximateNumberOfMessagesMoved);
    // What it moved stays moved; the rest waits in the dead-letter queue.
    const movedCount = stopped?.ApproximateNumberOfMessagesMoved ?? 0;
    const attributes = async (url?: string) => Number((await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);
    assert.equal(await attributes(QueueUrl), movedCount);
    assert.equal(await attributes(dlq.QueueUrl), 5 - movedCount);

    // A new task takes the rest, and completes once it has moved them.
    const rest = await client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 500 }));
    const done = await latest();
    assert.deepEqual([done?.TaskHandle, done?.Status, done?.ApproximateNumberOfMessagesMoved, done?.ApproximateNumberOfMessagesToMove], [rest.TaskHandle, 'COMPLETED', 5 - movedCount, 5 - movedCount]);
    assert.equal(await attributes(QueueUrl), 5);
  });

  it('answers the query protocol in XML, errors with AWS.SimpleQueueService.NonExistentQueue', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'legacy' }));
    const post = (path: string, form: Record<string, string>) => fetch(`${endpoint.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' },
      body: new URLSearchParams({ Version: '2012-11-05', ...form }).toString(),
    });
    const sent = await post('/123456789012/legacy', { Action: 'SendMessage', MessageBody: 'a & b', 'MessageAttribute.1.Name': 'k', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'v' });
    assert.equal(sent.status, 200);
    const sentXml = await sent.text();
    assert.match(sentXml, /^<\?xml version="1\.0"\?><SendMessageResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><SendMessageResult><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes><MessageId>[0-9a-f-]{36}<\/MessageId><\/SendMessageResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/SendMessageResponse>$/);

    const received = await post('/', { Action: 'ReceiveMessage', QueueUrl: QueueUrl as string, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' });
    const xml = await received.text();
    assert.match(xml, /<Message><MessageId>.*<Body>a &amp; b<\/Body>.*<Attribute><Name>SenderId<\/Name><Value>AIDA123456789012LOCAL<\/Value><\/Attribute>.*<MessageAttribute><Name>k<\/Name><Value><StringValue>v<\/StringValue><DataType>String<\/DataType><\/Value><\/MessageAttribute><\/Message>/);

    const missing = await post('/123456789012/nothing-here', { Action: 'GetQueueAttributes', 'AttributeName.1': 'All' });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /<Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>The specified queue does not exist\.<\/Message><Detail\/?>(<\/Detail>)?<\/Error>/);

    // The JSON protocol carries the query code for query-compatible clients.
    const json = await fetch(`${endpoint.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'nothing-here' }),
    });
    assert.equal(json.status, 400);
    assert.equal(json.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(await json.json(), { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  it('keeps queues and their messages across a restart (state directory)', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '60' } }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
    const inFlight = (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }))).Messages?.[0];
    assert.equal(inFlight?.Body, 'kept');
    await stop();
    await start();
    const url = (await client.send(new GetQueueUrlCommand({ QueueName: 'durable' }))).QueueUrl;
    const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes;
    assert.deepEqual(attributes, { VisibilityTimeout: '60', ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1' });
    const [message] = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }))).Messages ?? [];
    assert.equal(message?.Body, 'in flight');
    // The message received before the restart is still hidden; its receipt handle still works.
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: inFlight?.ReceiptHandle }));
    assert.equal((await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessagesNotVisible, '1');
  });
});
