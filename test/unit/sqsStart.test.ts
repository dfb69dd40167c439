// `lambda-workbench start` serves SQS on its Lambda port: the template's queues feed their mappings, API-made queues survive a restart.
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/eventSources');

function sqsClient(url: string): SQSClient {
  return new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

describe('lambda-workbench start: SQS on the AWS endpoint', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-sqs-start-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a message sent with the SDK to a template queue is consumed by its mapping; API queues are kept across restarts', { timeout: 120_000 }, async () => {
    let endpoint = await startEndpoint(dir, ['--events-port', '0']);
    let client = sqsClient(endpoint.url);
    try {
      const urls = (await client.send(new ListQueuesCommand({}))).QueueUrls ?? [];
      assert.ok(urls.includes(`${endpoint.url}/123456789012/SizeQueue`), urls.join(', '));
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'SizeQueue' }));
      const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'through the SDK' }));
      // SizeFunction receives it (the REPORT of its invocation) and, succeeding, has it deleted.
      while (!endpoint.output().stderr.includes('REPORT RequestId')) await new Promise((r) => setTimeout(r, 50));
      for (;;) {
        const counts = (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes;
        if (counts?.ApproximateNumberOfMessages === '0' && counts.ApproximateNumberOfMessagesNotVisible === '0') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(sent.MessageId);

      const made = await client.send(new CreateQueueCommand({ QueueName: 'made-by-api' }));
      await client.send(new SendMessageCommand({ QueueUrl: made.QueueUrl, MessageBody: 'survives' }));
    } finally {
      client.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }

    endpoint = await startEndpoint(dir, ['--events-port', '0']);
    client = sqsClient(endpoint.url);
    try {
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'made-by-api' }));
      const received = await client.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(received.Messages?.[0]?.Body, 'survives');
    } finally {
      client.destroy();
      assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
    }
  });
});
