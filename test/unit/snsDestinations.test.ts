// Asynchronous invocation records published to local SNS topics: an OnFailure destination and a dead-letter topic, received through SQS subscribers.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAwsEndpoint, type AwsEndpoint } from '../../src/core/api/awsEndpoint';
import { snsApi } from '../../src/core/api/sns/snsApi';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { EngineUnderTest, engineSpec } from '../support/engineBehaviours';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('destinations and dead-letter targets publish into local SNS topics', () => {
  const engine = new EngineUnderTest();
  let endpoint: AwsEndpoint;
  let sns: SNSClient;
  let sqs: SQSClient;

  before(async () => {
    engine.start(new ProcessBackend(), [
      engineSpec('Fails', 'handlers.fail', { eventInvokeConfig: { maximumRetryAttempts: 0, onFailure: `${TOPIC_ARN}:failures` } }),
      engineSpec('FailsToDlq', 'handlers.fail', { eventInvokeConfig: { maximumRetryAttempts: 0 }, deadLetterTarget: `${TOPIC_ARN}:dead-letters` }),
    ]);
    endpoint = await startAwsEndpoint([sqsApi(async () => engine.service.queues), snsApi(async () => engine.service.topics)], { port: 0 });
    sns = new SNSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });

  after(async () => {
    sns.destroy();
    sqs.destroy();
    await endpoint.close();
    await engine.dispose();
  });

  /** A topic with a queue subscribed to it (raw or enveloped); resolves with the queue URL. */
  async function subscribedQueue(topic: string, raw: boolean): Promise<string> {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
    engine.service.queues.create({ name: `${topic}-queue` });
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:123456789012:${topic}-queue`, Attributes: { RawMessageDelivery: String(raw) } }));
    return `${endpoint.url}/123456789012/${topic}-queue`;
  }

  async function receiveOne(QueueUrl: string): Promise<Message> {
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }));
      if (Messages?.[0]) return Messages[0];
    }
  }

  it('OnFailure: the invocation record is the message of the topic\'s notification', { timeout: 60_000 }, async () => {
    const queueUrl = await subscribedQueue('failures', false);
    const queued = await engine.invoke('Fails', { order: 2 }, { invocationType: 'Event' });
    const envelope = JSON.parse((await receiveOne(queueUrl)).Body ?? '') as Record<string, unknown>;
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, `${TOPIC_ARN}:failures`);
    const record = JSON.parse(String(envelope.Message));
    assert.deepEqual(record.requestContext, { requestId: queued.requestId, functionArn: `${FUNCTION_ARN}:Fails:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { order: 2 });
    assert.equal(record.responsePayload.errorMessage, 'bad input');
  });

  it('DeadLetterConfig: the original event with RequestID, ErrorCode and ErrorMessage message attributes', { timeout: 60_000 }, async () => {
    const queueUrl = await subscribedQueue('dead-letters', true);
    const queued = await engine.invoke('FailsToDlq', { order: 3 }, { invocationType: 'Event' });
    const message = await receiveOne(queueUrl);
    assert.deepEqual(JSON.parse(message.Body ?? ''), { order: 3 });
    assert.deepEqual(message.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: queued.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'bad input' },
    });
  });
});
