// Durable asynchronous invocation with real processes: `start` killed with SIGKILL mid-backlog and started again delivers
// every accepted event and runs none that had finished again; a read-only or full journal refuses Event invocations (429).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { descendantsOf } from '../support/processTree';
import { pidAlive } from '../support/processes';
import { recordReliabilityFigures } from '../support/reliabilityReport';
import { startRecorder, type Recorder } from '../support/invocationRecorder';
import { startCli, type StartedCli } from '../support/cliServer';
import { waitFor } from '../support/waitFor';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/durable');

function client(apiUrl: string): LambdaClient {
  return new LambdaClient({ endpoint: apiUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function invokeEvent(lambda: LambdaClient, payload: object): Promise<number | undefined> {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: 'WorkFunction', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  return answer.StatusCode;
}

/** A copy of the fixture in its own folder, so its state directory (.lambda-workbench) is this test's alone. */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lwb-durable-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const journalDir = (dir: string) => path.join(dir, '.lambda-workbench', 'state', 'async');

describe('durable asynchronous invocation', () => {
  let recorder: Recorder;
  const cleanup: (() => Promise<unknown> | void)[] = [];

  before(async () => {
    recorder = await startRecorder();
  });
  after(async () => {
    for (const step of cleanup.reverse()) await step();
    await recorder.close();
  });

  it('a start killed with SIGKILL mid-backlog, started again, delivers every accepted event and reruns none that had finished', async () => {
    const dir = workspace();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const args = ['--api-port', '0', '--time-scale', '0.01', '--parameter-overrides', `RecorderUrl=${recorder.url}`];
    const first = await startCli(args, { cwd: dir });
    const lambda = client(first.apiUrl);
    cleanup.push(() => lambda.destroy());

    const events = Array.from({ length: 60 }, (_, i) => ({ id: `event-${i}`, failFirst: i % 7 === 3, workMs: 80 }));
    for (const event of events) assert.equal(await invokeEvent(lambda, event), 202);
    // Kill it with the backlog half done: some events finished (their OnSuccess record arrived), others still queued.
    await waitFor(() => recorder.count('done') >= 12, 120_000, 'a dozen events to finish before the kill');
    const runtimes = descendantsOf(first.pid).map((p) => p.pid);
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    // Its runtimes go with it (nothing it started reports after this point).
    await waitFor(() => runtimes.every((pid) => !pidAlive(pid)), 60_000, 'the killed service\'s runtimes to end');
    const finishedBeforeKill = new Set(recorder.ids('done'));
    const runsBeforeKill = new Map(events.map((e) => [e.id, recorder.runs(e.id)]));
    assert.ok(finishedBeforeKill.size < events.length, 'the kill came before the backlog was done');

    const second = await startCli(args, { cwd: dir });
    cleanup.push(() => second.stop());
    await waitFor(() => events.every((e) => recorder.ids('done').includes(e.id)), 180_000, 'every accepted event to be delivered');
    assert.match(second.stderr(), /Resumed \d+ asynchronous invocation\(s\) accepted before a restart/);
    for (const id of finishedBeforeKill) {
      assert.equal(recorder.runs(id), runsBeforeKill.get(id), `${id} had finished before the kill and must not run again`);
    }
    for (const event of events.filter((e) => e.failFirst)) {
      assert.ok(recorder.runs(event.id) >= 2, `${event.id} failed its first attempt and was retried`);
    }
    const lost = events.filter((e) => !recorder.ids('done').includes(e.id)).length;
    const rerun = [...finishedBeforeKill].filter((id) => recorder.runs(id) !== runsBeforeKill.get(id)).length;
    recordReliabilityFigures({
      key: 'durability',
      title: 'Durable asynchronous invocation (SIGKILL mid-backlog, restart)',
      rows: [
        ['Event invocations accepted (202)', events.length],
        ['finished before the SIGKILL', finishedBeforeKill.size],
        ['resumed by the restarted start and delivered', events.length - finishedBeforeKill.size],
        ['retried after a failed first attempt', events.filter((e) => e.failFirst).length],
        ['lost', lost],
        ['finished events run again', rerun],
      ],
    });
    assert.equal(await second.stop(), 0);
    // Nothing left pending: the stopped service leaves no journal behind, only the space kept for a full disk.
    assert.deepEqual(readdirSync(journalDir(dir)), ['space-reserve']);
  });

  it('a read-only journal directory is reported at start and Event invocations get 429 while synchronous ones run', async () => {
    const dir = workspace();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(journalDir(dir), { recursive: true });
    const service = await startConfined(dir, ['--ro-bind', journalDir(dir), journalDir(dir)], recorder.url);
    cleanup.push(() => service.stop());
    assert.match(service.stderr(), /Asynchronous invocations are refused: the state directory is not writable \(EROFS/);
    const lambda = client(service.apiUrl);
    cleanup.push(() => lambda.destroy());
    await assert.rejects(invokeEvent(lambda, { id: 'refused' }), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'TooManyRequestsException');
      assert.equal(error.$metadata?.httpStatusCode, 429);
      assert.match(error.message, /^Rate Exceeded\. Asynchronous invocations are refused: the state directory is not writable/);
      return true;
    });
    const sync = await lambda.send(new InvokeCommand({ FunctionName: 'WorkFunction', Payload: Buffer.from('{"id":"sync-ro"}') }));
    assert.equal(sync.StatusCode, 200);
    assert.equal(sync.FunctionError, undefined);
    assert.equal(recorder.runs('refused'), 0);
    assert.equal(await service.stop(), 0);
  });

  it('a full disk refuses Event invocations it cannot keep (429) and still delivers every one it accepted', async () => {
    const dir = workspace();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(journalDir(dir), { recursive: true });
    // A tmpfs for the journals: the 1 MiB the service reserves for progress and about 100 KiB, that 4 KiB events fill.
    const service = await startConfined(dir, ['--size', String(1024 * 1024 + 100 * 1024), '--tmpfs', journalDir(dir)], recorder.url);
    cleanup.push(() => service.stop());
    const lambda = client(service.apiUrl);
    cleanup.push(() => lambda.destroy());
    const accepted: string[] = [];
    let refusal: Error | undefined;
    // Slow events (the backlog stays in the journal) until the disk is full.
    for (let i = 0; i < 200 && !refusal; i++) {
      const event = { id: `full-${i}`, workMs: 400, padding: 'x'.repeat(3000) };
      try {
        await invokeEvent(lambda, event);
        accepted.push(event.id);
      } catch (error) {
        refusal = error as Error;
      }
    }
    assert.ok(refusal, 'the journal filled up');
    assert.equal(refusal.name, 'TooManyRequestsException');
    assert.match(refusal.message, /Asynchronous invocations are refused: the disk is full \(ENOSPC/);
    assert.ok(accepted.length > 0);
    await waitFor(() => accepted.every((id) => recorder.ids('done').includes(id)), 180_000, 'every accepted event to be delivered');
    assert.match(service.stderr(), /Warning: Rate Exceeded\. Asynchronous invocations are refused: the disk is full/);
    assert.equal(await service.stop(), 0);
  });
});

/** `start` inside bubblewrap with the host's filesystem and `mounts` over it (a read-only or tiny journal directory). */
async function startConfined(dir: string, mounts: string[], recorderUrl: string): Promise<StartedCli> {
  return startCli(['--api-port', '0', '--time-scale', '0.01', '--parameter-overrides', `RecorderUrl=${recorderUrl}`], {
    cwd: dir,
    wrap: (command, args) => ({ command: 'bwrap', args: ['--dev-bind', '/', '/', ...mounts, '--die-with-parent', command, ...args] }),
  });
}
