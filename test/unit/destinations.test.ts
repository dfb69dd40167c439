// Asynchronous invocation records arrive in local SQS queues: OnSuccess / OnFailure destinations and DeadLetterConfig, received with the SDK's SQS client.
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAwsEndpoint, type AwsEndpoint } from '../../src/core/api/awsEndpoint';
import { sqsApi } from '../../src/core/api/sqs/sqsApi';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { EngineUnderTest, engineSpec } from '../support/engineBehaviours';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

describe('destinations and dead-letter queues deliver into local SQS', () => {
  const engine = new EngineUnderTest();
  let endpoint: AwsEndpoint;
  let client: SQSClient;

  before(async () => {
    engine.start(new ProcessBackend(), [
      engineSpec('Succeeds', 'handlers.echo', { eventInvokeConfig: { onSuccess: `${QUEUE_ARN}:successes` } }),
      engineSpec('Fails', 'handlers.fail', { eventInvokeConfig: { maximumRetryAttempts: 0, onFailure: `${QUEUE_ARN}:failures` } }),
      engineSpec('FailsToDlq', 'handlers.fail', { eventInvokeConfig: { maximumRetryAttempts: 0 }, deadLetterTarget: `${QUEUE_ARN}:dead-letters` }),
    ]);
    endpoint = await startAwsEndpoint([sqsApi(async () => engine.service.queues)], { port: 0 });
    client = new SQSClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  after(async () => {
    client.destroy();
    await endpoint.close();
    await engine.dispose();
  });

  /** Long-polls the queue (made by the first delivery) until one message is there. */
  async function receiveOne(queue: string): Promise<Message> {
    const QueueUrl = `${endpoint.url}/123456789012/${queue}`;
    for (;;) {
      if (engine.service.queues.find(queue)) {
        const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
        if (Messages?.[0]) return Messages[0];
      } else {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  it('OnSuccess: the invocation record, condition Success, as the message body', { timeout: 60_000 }, async () => {
    const queued = await engine.invoke('Succeeds', { order: 1 }, { invocationType: 'Event' });
    assert.equal(queued.statusCode, 202);
    const message = await receiveOne('successes');
    const record = JSON.parse(message.Body ?? '');
    assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    assert.equal(record.version, '1.0');
    assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(record.requestContext, { requestId: queued.requestId, functionArn: `${FUNCTION_ARN}:Succeeds:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { order: 1 });
    // No functionError key on success (recorded on AWS).
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.deepEqual(record.responsePayload.event, { order: 1 });
    assert.equal(message.MessageAttributes, undefined);
  });

  it('OnFailure: RetriesExhausted with the error as responsePayload', { timeout: 60_000 }, async () => {
    const queued = await engine.invoke('Fails', { order: 2 }, { invocationType: 'Event' });
    const record = JSON.parse((await receiveOne('failures')).Body ?? '');
    assert.deepEqual(record.requestContext, { requestId: queued.requestId, functionArn: `${FUNCTION_ARN}:Fails:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { order: 2 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.responsePayload.errorType, 'TypeError');
    assert.equal(record.responsePayload.errorMessage, 'bad input');
  });

  it('DeadLetterConfig: the original event with RequestID, ErrorCode and ErrorMessage attributes', { timeout: 60_000 }, async () => {
    const queued = await engine.invoke('FailsToDlq', { order: 3 }, { invocationType: 'Event' });
    const message = await receiveOne('dead-letters');
    assert.deepEqual(JSON.parse(message.Body ?? ''), { order: 3 });
    assert.deepEqual(message.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: queued.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'bad input' },
    });
  });
});
