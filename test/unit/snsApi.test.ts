// Local SNS on the AWS endpoint through the AWS SDK v3 SNS client: topics, SQS (enveloped and raw) and HTTP subscribers, filter policies, batches, limits, errors, durability.
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TooManyEntriesInBatchRequestException,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAwsEndpoint, type AwsEndpoint } from '../../src/core/api/awsEndpoint';
import { snsApi } from '../../src/core/api/sns/snsApi';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { LocalQueues } from '../../src/core/service/eventSources/localQueues';
import { LocalTopics } from '../../src/core/service/topics/localTopics';
import { failure } from '../support/startedEndpoint';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

describe('local SNS on the AWS endpoint (SDK v3 SNS client)', () => {
  let dir: string;
  let queues: LocalQueues;
  let topics: LocalTopics;
  let endpoint: AwsEndpoint;
  let sns: SNSClient;
  let sqs: SQSClient;

  const start = async () => {
    queues = new LocalQueues({ stateDir: dir });
    // This suite subscribes no function: the start suite delivers to functions through a real service.
    topics = new LocalTopics({ queues, invokeEvent: () => Promise.reject(new Error('no functions in this suite')) }, { stateDir: dir });
    endpoint = await startAwsEndpoint([sqsApi(async () => queues), snsApi(async () => topics)], { port: 0 });
    sns = new SNSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  };
  const stop = async () => {
    sns.destroy();
    sqs.destroy();
    await endpoint.close();
    await topics.dispose();
    await queues.dispose();
  };
  const queue = async (name: string) => {
    queues.create({ name });
    return { url: `${endpoint.url}/123456789012/${name}`, arn: `arn:aws:sqs:us-east-1:123456789012:${name}` };
  };
  const receiveOne = async (url: string) => {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    return Messages ?? [];
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sns-api-'));
    await start();
  });

  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, describes and deletes topics; answers NotFound and InvalidParameter as SNS does', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alpha', Attributes: { DisplayName: 'Alpha' } }));
    assert.equal(TopicArn, 'arn:aws:sns:us-east-1:123456789012:alpha');
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'alpha', Attributes: { DisplayName: 'Alpha' } }))).TopicArn, TopicArn);
    const conflict = await failure(sns.send(new CreateTopicCommand({ Name: 'alpha', Attributes: { DisplayName: 'Other' } })));
    assert.ok(conflict instanceof InvalidParameterException);
    assert.equal(conflict.message, 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    const badName = await failure(sns.send(new CreateTopicCommand({ Name: 'no spaces' })));
    assert.ok(badName instanceof InvalidParameterException);
    assert.equal(badName.message, 'Invalid parameter: Topic Name');

    assert.ok((await sns.send(new ListTopicsCommand({}))).Topics?.some((topic) => topic.TopicArn === TopicArn));
    const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes;
    assert.equal(attributes?.DisplayName, 'Alpha');
    assert.equal(attributes?.TopicArn, TopicArn);
    assert.equal(attributes?.SubscriptionsConfirmed, '0');

    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const missing = await failure(sns.send(new GetTopicAttributesCommand({ TopicArn })));
    assert.ok(missing instanceof NotFoundException);
    assert.equal(missing.message, 'Topic does not exist');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const published = await failure(sns.send(new PublishCommand({ TopicArn, Message: 'lost' })));
    assert.ok(published instanceof NotFoundException);
  });

  it('delivers to SQS subscribers: the JSON envelope, or with RawMessageDelivery the message and its attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout' }));
    const enveloped = await queue('enveloped');
    const raw = await queue('raw');
    const envelopedSubscription = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: enveloped.arn }))).SubscriptionArn;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.SubscriptionsConfirmed, '2');

    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn,
      Message: 'hello',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' }, bytes: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
    }));

    const [envelopeMessage] = await receiveOne(enveloped.url);
    const envelope = JSON.parse(envelopeMessage?.Body ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.MessageId, MessageId);
    assert.equal(envelope.Message, 'hello');
    assert.equal(envelope.UnsubscribeURL, `${endpoint.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(envelopedSubscription ?? '')}`);
    assert.deepEqual(envelope.MessageAttributes, { color: { Type: 'String', Value: 'blue' }, bytes: { Type: 'Binary', Value: 'AQID' } });
    assert.deepEqual(envelopeMessage?.MessageAttributes, undefined);

    const [rawMessage] = await receiveOne(raw.url);
    assert.equal(rawMessage?.Body, 'hello');
    assert.equal(rawMessage?.MessageAttributes?.color?.StringValue, 'blue');
    assert.deepEqual([...(rawMessage?.MessageAttributes?.bytes?.BinaryValue ?? [])], [1, 2, 3]);

    // The unsubscribe link of the envelope works as on SNS: a plain GET.
    const unsubscribed = await fetch(String(envelope.UnsubscribeURL));
    assert.equal(unsubscribed.status, 200, await unsubscribed.text());
    await sns.send(new PublishCommand({ TopicArn, Message: 'only raw' }));
    assert.deepEqual(await receiveOne(enveloped.url), []);
    assert.equal((await receiveOne(raw.url))[0]?.Body, 'only raw');
  });

  it('filter policies: attributes (exact, prefix, numeric, anything-but, exists, $or) and the message body; a message that matches none is dropped', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
    const byAttributes = await queue('by-attributes');
    const byBody = await queue('by-body');
    await sns.send(new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: byAttributes.arn,
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ store: ['north', { prefix: 'east-' }], price: [{ numeric: ['>=', 10, '<', 100] }], $or: [{ kind: [{ 'anything-but': ['test'] }] }, { urgent: [{ exists: true }] }] }) },
    }));
    const bodySubscription = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: byBody.arn, Attributes: { RawMessageDelivery: 'true' } }))).SubscriptionArn;
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: bodySubscription, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: bodySubscription, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ order: { state: ['paid'] } }) }));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: bodySubscription }))).Attributes?.FilterPolicyScope, 'MessageBody');

    const publish = (message: string, attributes: Record<string, { DataType: string; StringValue: string }>) => sns.send(new PublishCommand({ TopicArn, Message: message, MessageAttributes: attributes }));
    const number = (value: string) => ({ DataType: 'Number', StringValue: value });
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    await publish('match', { store: text('east-1'), price: number('10'), kind: text('real') });
    await publish('price too high', { store: text('north'), price: number('100'), kind: text('real') });
    await publish('test kind', { store: text('north'), price: number('50'), kind: text('test') });
    await publish('test but urgent', { store: text('north'), price: number('50'), kind: text('test'), urgent: text('yes') });
    await publish('wrong store', { store: text('south'), price: number('50'), kind: text('real') });
    await publish('{"order":{"state":"paid"}}', {});
    await publish('{"order":{"state":"open"}}', {});
    await publish('not json', {});

    assert.deepEqual((await receiveOne(byAttributes.url)).map((message) => message.Body).sort(), ['match', 'test but urgent']);
    assert.deepEqual((await receiveOne(byBody.url)).map((message) => message.Body), ['{"order":{"state":"paid"}}']);

    const invalid = await failure(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: bodySubscription, AttributeName: 'FilterPolicy', AttributeValue: '{"a": "b"}' })));
    assert.ok(invalid instanceof InvalidParameterException);
    assert.equal(invalid.message, 'Invalid parameter: FilterPolicy: "a" must be an object or an array');
  });

  it('publishes batches with per-entry results; refuses batches, messages and attributes SNS refuses', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batched' }));
    const target = await queue('batched-queue');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const batch = await sns.send(new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [{ Id: 'one', Message: 'first' }, { Id: 'two', Message: 'second' }, { Id: 'empty', Message: '' }],
    }));
    assert.deepEqual(batch.Successful?.map((entry) => entry.Id), ['one', 'two']);
    assert.deepEqual(batch.Failed, [{ Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    assert.deepEqual((await receiveOne(target.url)).map((message) => message.Body).sort(), ['first', 'second']);

    const tooMany = await failure(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'x' })) })));
    assert.ok(tooMany instanceof TooManyEntriesInBatchRequestException);
    const duplicate = await failure(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }] })));
    assert.equal(duplicate.name, 'BatchEntryIdsNotDistinctException');

    const atLimit = 'x'.repeat(256 * 1024);
    await sns.send(new PublishCommand({ TopicArn, Message: atLimit }));
    const tooLong = await failure(sns.send(new PublishCommand({ TopicArn, Message: `${atLimit}x` })));
    assert.ok(tooLong instanceof InvalidParameterException);
    assert.equal(tooLong.message, 'Invalid parameter: Message too long');
    const withAttribute = await failure(sns.send(new PublishCommand({ TopicArn, Message: atLimit.slice(10), MessageAttributes: { padding: { DataType: 'String', StringValue: 'y'.repeat(10) } } })));
    assert.equal(withAttribute.message, 'Invalid parameter: Message too long');
    const badNumber = await failure(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'many' } } })));
    assert.equal(badNumber.name, 'InvalidParameterValueException');
    const noStructure = await failure(sns.send(new PublishCommand({ TopicArn, Message: '{"sqs":"only"}', MessageStructure: 'json' })));
    assert.equal(noStructure.message, 'Invalid parameter: Message Structure - No default entry in JSON message body');
    const badProtocol = await failure(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'not-an-arn' })));
    assert.equal(badProtocol.message, 'Invalid parameter: SQS endpoint ARN');
  });

  it('HTTP subscribers confirm through SubscribeURL, then get notifications with SNS\'s headers', async () => {
    const received: Received[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'web' }));
      const subscribed = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url }));
      assert.equal(subscribed.SubscriptionArn, 'pending confirmation');
      while (received.length < 1) await new Promise((r) => setTimeout(r, 20));
      const confirmation = received[0] as Received;
      assert.equal(confirmation.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
      assert.equal(confirmation.body.Type, 'SubscriptionConfirmation');
      assert.equal(confirmation.body.TopicArn, TopicArn);
      const listed = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions?.find((s) => s.Endpoint === url);
      assert.equal(listed?.SubscriptionArn, 'PendingConfirmation');
      await sns.send(new PublishCommand({ TopicArn, Message: 'before confirmation' }));

      const confirmed = await fetch(String(confirmation.body.SubscribeURL));
      const xml = await confirmed.text();
      assert.equal(confirmed.status, 200, xml);
      const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
      assert.match(subscriptionArn ?? '', /^arn:aws:sns:us-east-1:123456789012:web:[0-9a-f-]{36}$/);

      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'after confirmation', Subject: 'Hi' }));
      while (received.length < 2) await new Promise((r) => setTimeout(r, 20));
      const notification = received[1] as Received;
      assert.equal(notification.headers['x-amz-sns-message-type'], 'Notification');
      assert.equal(notification.headers['x-amz-sns-message-id'], MessageId);
      assert.equal(notification.headers['x-amz-sns-topic-arn'], TopicArn);
      assert.equal(notification.headers['x-amz-sns-subscription-arn'], subscriptionArn);
      assert.equal(notification.body.Message, 'after confirmation');
      assert.equal(notification.body.Subject, 'Hi');
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
      const gone = await failure(sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn })));
      assert.ok(gone instanceof NotFoundException);
      assert.equal(received.length, 2, 'the message published before confirmation is not delivered');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps topics and subscriptions across a restart (state directory)', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'durable', Attributes: { DisplayName: 'Kept' } }));
    const target = await queue('durable-queue');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: target.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await stop();
    // A service that never used its topics (a CLI invoke) leaves them as they were.
    await new LocalTopics({ queues: new LocalQueues(), invokeEvent: () => Promise.reject(new Error('unused')) }, { stateDir: dir }).dispose();
    await start();
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.DisplayName, 'Kept');
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
    assert.equal(attributes?.RawMessageDelivery, 'true');
    await sns.send(new PublishCommand({ TopicArn, Message: 'after restart' }));
    assert.equal((await receiveOne(`${endpoint.url}/123456789012/durable-queue`))[0]?.Body, 'after restart');
  });
});
