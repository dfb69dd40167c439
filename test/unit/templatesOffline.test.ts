// Every blueprint and application template that uses queues, topics or schedules runs locally after `init`, with no AWS
// account: each is scaffolded with the CLI and driven to its end (a message consumed and deleted, an order queued and
// worked, a notification published and handled, a scheduled run that reads and writes its bucket).
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { readSchedules, scheduledEvent } from '../../src/core/service/schedules/localSchedules';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const run = promisify(execFile);
const CREDENTIALS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
/** npm fills the SDK cache on the first run that needs it. */
const TIMEOUT_MS = 300_000;

async function init(dir: string, blueprint: string, runtime: string): Promise<void> {
  await run(process.execPath, [CLI, 'init', blueprint, '--runtime', runtime, '--dir', dir]);
}

/** Waits until `probe` gives a value; fails with the endpoint's output after `ms`. */
async function eventually<T>(what: string, endpoint: StartedEndpoint, probe: () => Promise<T | undefined> | T | undefined, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${endpoint.output().stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Messages still in the queue, visible or in flight. */
async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

/** How many invocations `start` has reported (its REPORT lines). */
function reports(endpoint: StartedEndpoint): number {
  return endpoint.output().stderr.split('\n').filter((line) => line.startsWith('REPORT RequestId: ')).length;
}

describe('application templates and blueprints run offline after init', () => {
  let root: string;
  let cache: string;
  const previousCache = process.env.LAMBDA_WORKBENCH_SDK_CACHE;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-templates-'));
    // The run's SDK cache when scripts/test.sh set one, else one of this file's.
    cache = previousCache ?? mkdtempSync(join(tmpdir(), 'lwb-templates-sdk-'));
    process.env.LAMBDA_WORKBENCH_SDK_CACHE = cache;
  });

  after(() => {
    if (previousCache === undefined) {
      delete process.env.LAMBDA_WORKBENCH_SDK_CACHE;
      rmSync(cache, { recursive: true, force: true });
    }
    rmSync(root, { recursive: true, force: true });
  });

  for (const runtime of ['javascript', 'typescript', 'python']) {
    it(`sqs-batch (${runtime}): a message sent to the queue is consumed and deleted`, { timeout: TIMEOUT_MS }, async () => {
      const dir = join(root, `sqs-batch-${runtime}`);
      await init(dir, 'sqs-batch', runtime);
      const endpoint = await startEndpoint(dir, ['--api-port', '0']);
      const sqs = new SQSClient({ ...CREDENTIALS, endpoint: endpoint.url });
      try {
        const queueUrl = `${endpoint.url}/123456789012/QueueConsumerFunctionQueue`;
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ orderId: 'o-1', amount: 5 }) }));
        // The consumer is the only function: its REPORT, and the message deleted after its successful batch.
        await eventually('the consumer\'s REPORT', endpoint, () => (reports(endpoint) > 0 ? true : undefined));
        await eventually('the message to be deleted', endpoint, async () => ((await queueDepth(sqs, queueUrl)) === 0 ? true : undefined));
        assert.doesNotMatch(endpoint.output().stderr, /Status: error|"errorType"/);
      } finally {
        sqs.destroy();
        assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      }
    });
  }

  for (const runtime of ['javascript', 'typescript']) {
    it(`api-queue-worker (${runtime}): POST /orders queues the order through the SDK and the worker processes it`, { timeout: TIMEOUT_MS }, async () => {
      const dir = join(root, `api-queue-worker-${runtime}`);
      await init(dir, 'api-queue-worker', runtime);
      const endpoint = await startEndpoint(dir, ['--api-port', '0']);
      const sqs = new SQSClient({ ...CREDENTIALS, endpoint: endpoint.url });
      try {
        const api = /API Gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(endpoint.output().stdout)?.[1];
        assert.ok(api, endpoint.output().stdout);
        const response = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'o-42', amount: 12.5 }) });
        const answer = await response.text();
        assert.equal(response.status, 202, `${answer}\n${endpoint.output().stderr}`);
        assert.equal(JSON.parse(answer).orderId, 'o-42');
        assert.match(endpoint.output().stderr, new RegExp(`Queued order o-42 as message ${JSON.parse(answer).messageId}`));
        // The API's invocation, then the worker's.
        await eventually('the worker\'s REPORT', endpoint, () => (reports(endpoint) >= 2 ? true : undefined));
        await eventually('the order to leave the queue', endpoint, async () => ((await queueDepth(sqs, `${endpoint.url}/123456789012/OrdersQueue`)) === 0 ? true : undefined));
        assert.doesNotMatch(endpoint.output().stderr, /Status: error|"errorType"/);
      } finally {
        sqs.destroy();
        assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      }
    });
  }

  for (const runtime of ['javascript', 'typescript', 'python']) {
    it(`sns-subscriber (${runtime}): a notification published to the topic is handled by the subscriber`, { timeout: TIMEOUT_MS }, async () => {
      const dir = join(root, `sns-subscriber-${runtime}`);
      await init(dir, 'sns-subscriber', runtime);
      const endpoint = await startEndpoint(dir, ['--api-port', '0']);
      const sns = new SNSClient({ ...CREDENTIALS, endpoint: endpoint.url });
      try {
        // The template's topic, with the function subscribed to it by its SNS event.
        const { Topics } = await sns.send(new ListTopicsCommand({}));
        const topicArn = Topics?.map((topic) => topic.TopicArn ?? '').find((arn) => arn.endsWith(':TopicSubscriberFunctionTopic'));
        assert.ok(topicArn, `${JSON.stringify(Topics)}\n${endpoint.output().stdout}`);
        const { MessageId } = await sns.send(new PublishCommand({
          TopicArn: topicArn,
          Subject: 'New order',
          Message: JSON.stringify({ orderId: 'o-7' }),
          MessageAttributes: { eventType: { DataType: 'String', StringValue: 'order.created' } },
        }));
        assert.ok(MessageId);
        // The subscriber's own line names the published message, its attribute and the topic; then its REPORT.
        await eventually('the subscriber\'s line', endpoint, () => (endpoint.output().stderr.includes(`Notification ${MessageId} (order.created) from ${topicArn}`) ? true : undefined));
        await eventually('the subscriber\'s REPORT', endpoint, () => (reports(endpoint) > 0 ? true : undefined));
        assert.doesNotMatch(endpoint.output().stderr, /Status: error|"errorType"/);
      } finally {
        sns.destroy();
        assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      }
    });
  }

  for (const runtime of ['javascript', 'typescript', 'python']) {
    it(`scheduled-job (${runtime}): schedules run fires the job with EventBridge's event`, { timeout: TIMEOUT_MS }, async () => {
      const dir = join(root, `scheduled-job-${runtime}`);
      await init(dir, 'scheduled-job', runtime);
      const listed = await run(process.execPath, [CLI, 'schedules', 'list'], { cwd: dir });
      const name = listed.stdout.split(/\s+/)[0] as string;
      assert.match(listed.stdout, /cron\(0 2 \* \* \? \*\)\s+enabled/);
      const fired = await run(process.execPath, [CLI, 'schedules', 'run', name], { cwd: dir });
      const result = JSON.parse(fired.stdout);
      assert.match(result.window.start, /^\d{4}-\d\d-\d\dT00:00:00(\.000)?Z$/);
      assert.match(fired.stderr, /REPORT RequestId: /);
    });
  }

  for (const runtime of ['javascript', 'python']) {
    // The Python job imports the runtime's boto3 (the host's; Debian's 1.26 reaches the local bucket through the runtime
    // client's AWS_ENDPOINT_URL_S3 support).
    it(`scheduled-etl (${runtime}): the nightly run reads yesterday's raw files from its local bucket and writes the report`, { timeout: TIMEOUT_MS }, async () => {
      const dir = join(root, `scheduled-etl-${runtime}`);
      await init(dir, 'scheduled-etl', runtime);
      const endpoint = await startEndpoint(dir, ['--api-port', '0']);
      const s3 = new S3Client({ ...CREDENTIALS, endpoint: endpoint.url, forcePathStyle: true });
      try {
        const bucket = /^ {2}bucket (\S+)$/m.exec(endpoint.output().stdout)?.[1];
        assert.ok(bucket, endpoint.output().stdout);
        const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/${yesterday}/sales.jsonl`, Body: '{"customerId":"c-1","amount":3}\n{"customerId":"c-1","amount":4.5}\n' }));
        // EventBridge's event for the schedule, as the schedule fires it, through the Lambda API of the running endpoint.
        const registry = await FunctionRegistry.fromTemplates([join(dir, 'template.yaml')]);
        const schedule = readSchedules(registry.list())[0];
        assert.ok(schedule);
        const fired = await endpoint.client.send(new InvokeCommand({ FunctionName: schedule.functionName, Payload: Buffer.from(scheduledEvent(schedule, Date.now(), 'us-east-1', '123456789012')) }));
        const answer = Buffer.from(fired.Payload ?? []).toString();
        assert.equal(fired.FunctionError, undefined, `${answer}\n${endpoint.output().stderr}`);
        const report = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `reports/${yesterday}.json` }));
        const body = JSON.parse(await report.Body?.transformToString() ?? '{}');
        assert.deepEqual(body.customers, [{ customerId: 'c-1', orders: 2, total: 7.5 }]);
      } finally {
        s3.destroy();
        assert.equal(await endpoint.stop(), 0, endpoint.output().stderr);
      }
    });
  }
});
