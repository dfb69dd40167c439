// Event source progress survives a SIGKILL: `start` killed while a Kinesis mapping and an SQS mapping each have a batch in
// flight, started again, hands no mapping a record its function had finished, and loses none it had accepted or taken.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startCli, type StartedCli } from '../support/cliServer';
import { startRecorder, type Recorder } from '../support/invocationRecorder';
import { pidAlive } from '../support/processes';
import { descendantsOf } from '../support/processTree';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/durableSources');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Generous: the machine is shared; the queue's visibility timeout (20 s) alone passes before the taken message returns. */
const DELIVERED_WITHIN_MS = 180_000;

interface Clients {
  kinesis: KinesisClient;
  sqs: SQSClient;
  queueUrl: string;
}

async function clients(service: StartedCli): Promise<Clients> {
  const kinesis = new KinesisClient({ endpoint: service.apiUrl, region: 'us-east-1', credentials, maxAttempts: 1 });
  const sqs = new SQSClient({ endpoint: service.apiUrl, region: 'us-east-1', credentials, maxAttempts: 1 });
  const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
  const queueUrl = QueueUrls?.find((url) => url.includes('ProgressQueue'));
  assert.ok(queueUrl, `the template's queue is listed: ${QueueUrls?.join(', ')}`);
  return { kinesis, sqs, queueUrl };
}

function closeClients(c: Clients): void {
  c.kinesis.destroy();
  c.sqs.destroy();
}

async function putRecord(c: Clients, item: { id: string; hangFirst?: boolean }): Promise<void> {
  await c.kinesis.send(new PutRecordCommand({ StreamName: 'ProgressStream', PartitionKey: 'one-shard', Data: Buffer.from(JSON.stringify(item)) }));
}

async function sendMessage(c: Clients, item: { id: string; hangFirst?: boolean }): Promise<void> {
  await c.sqs.send(new SendMessageCommand({ QueueUrl: c.queueUrl, MessageBody: JSON.stringify(item) }));
}

/** The messages sqs.json holds for the fixture's queue (what a restarted service would find). */
function savedMessages(dir: string): number {
  const saved = JSON.parse(readFileSync(path.join(dir, '.lambda-workbench', 'state', 'sqs.json'), 'utf8')) as { queues: Array<{ definition: { name: string }; messages: unknown[] }> };
  return saved.queues.find((queue) => queue.definition.name.includes('ProgressQueue'))?.messages.length ?? -1;
}

describe('event source progress across a SIGKILL', () => {
  let recorder: Recorder;
  let dir: string;
  const cleanup: (() => Promise<unknown> | void)[] = [];

  before(async () => {
    recorder = await startRecorder();
    dir = mkdtempSync(path.join(tmpdir(), 'lwb-progress-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  after(async () => {
    for (const step of cleanup.reverse()) await step();
    await recorder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restarted start redelivers only what was in flight: stream positions and queue messages come from the state directory', async () => {
    const args = ['--api-port', '0', '--parameter-overrides', `RecorderUrl=${recorder.url}`];
    const first = await startCli(args, { cwd: dir });
    cleanup.push(() => first.stop());
    const before = await clients(first);
    cleanup.push(() => closeClients(before));

    // Finished before the kill: five records (one per batch, in order) and five messages, their deletes saved.
    const finishedRecords = ['s-0', 's-1', 's-2', 's-3', 's-4'];
    const finishedMessages = ['q-0', 'q-1', 'q-2', 'q-3', 'q-4'];
    for (const id of finishedRecords) await putRecord(before, { id });
    for (const id of finishedMessages) await sendMessage(before, { id });
    await waitFor(() => [...finishedRecords, ...finishedMessages].every((id) => recorder.ids('done').includes(id)), DELIVERED_WITHIN_MS, 'the first records and messages to be processed');
    await waitFor(() => savedMessages(dir) === 0, DELIVERED_WITHIN_MS, 'the processed messages to be deleted in sqs.json');

    // In flight at the kill: a record and a message whose handlers hang; behind the record, three records not yet read.
    await putRecord(before, { id: 's-hang', hangFirst: true });
    const waitingRecords = ['s-5', 's-6', 's-7'];
    for (const id of waitingRecords) await putRecord(before, { id });
    await sendMessage(before, { id: 'q-hang', hangFirst: true });
    await waitFor(() => recorder.runs('s-hang') === 1 && recorder.runs('q-hang') === 1, DELIVERED_WITHIN_MS, 'the hanging record and message to be running');
    const runtimes = descendantsOf(first.pid).map((p) => p.pid);
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    await waitFor(() => runtimes.every((pid) => !pidAlive(pid)), 60_000, "the killed service's runtimes to end");
    assert.equal(recorder.runs('s-5'), 0, 'the records behind the hanging one were not read before the kill');

    const second = await startCli(args, { cwd: dir });
    cleanup.push(() => second.stop());
    const all = [...finishedRecords, 's-hang', ...waitingRecords, ...finishedMessages, 'q-hang'];
    await waitFor(() => all.every((id) => recorder.ids('done').includes(id)), DELIVERED_WITHIN_MS, 'every record and message to be processed');

    for (const id of [...finishedRecords, ...finishedMessages]) assert.equal(recorder.runs(id), 1, `${id} had finished before the kill and must not run again`);
    for (const id of waitingRecords) assert.equal(recorder.runs(id), 1, `${id} was accepted before the kill and runs once after it`);
    // What was in flight had not succeeded: it runs again (the stream from its saved position, the message once visible).
    assert.ok(recorder.runs('s-hang') >= 2, 's-hang ran again');
    assert.ok(recorder.runs('q-hang') >= 2, 'q-hang ran again');
    const doneOrder = recorder.ids('done').filter((id) => id.startsWith('s-'));
    assert.deepEqual(doneOrder, [...finishedRecords, 's-hang', ...waitingRecords], 'the shard is processed in order across the restart');
    assert.equal(await second.stop(), 0);

    const rerun = [...finishedRecords, ...finishedMessages].filter((id) => recorder.runs(id) !== 1).length;
    recordReliabilityFigures({
      key: 'event-source-progress',
      title: 'Event source progress (SIGKILL with batches in flight, restart)',
      rows: [
        ['Kinesis records / SQS messages finished before the SIGKILL', `${finishedRecords.length} / ${finishedMessages.length}`],
        ['finished ones handed to the function again', rerun],
        ['records accepted but not yet read at the SIGKILL, processed once after the restart', waitingRecords.length],
        ['in-flight record / taken message redelivered after the restart', `${recorder.runs('s-hang') >= 2 ? 1 : 0} / ${recorder.runs('q-hang') >= 2 ? 1 : 0}`],
        ['lost', all.filter((id) => !recorder.ids('done').includes(id)).length],
      ],
    });
  });
});
