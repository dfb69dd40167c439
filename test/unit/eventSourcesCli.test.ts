// `lambda-workbench start` with event sources: the built CLI as a child process, fed through its event sources endpoint.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEndpoint } from '../support/startedEndpoint';

const EVENTS_LINE = /^Event sources on (http:\/\/127\.0\.0\.1:\d+)/m;
const FIXTURE = resolve(__dirname, '../../../test/fixtures/eventSources');

describe('lambda-workbench start with event sources', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-esm-cli-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the endpoint, polls the streams and queues, and stops cleanly on SIGINT', { timeout: 60_000 }, async () => {
    const endpoint = await startEndpoint(dir, ['--events-port', '0'], { readyLine: EVENTS_LINE });
    const { stdout } = endpoint.output();
    const stderr = () => endpoint.output().stderr;
    const url = EVENTS_LINE.exec(stdout)?.[1] as string;
    let exitCode: number | null;
    try {
      assert.match(stdout, /^ {2}queue Orders\.fifo -> FifoFunction {2}POST http:\/\/127\.0\.0\.1:\d+\/queues\/Orders\.fifo\/messages$/m);
      assert.match(stdout, /^ {2}dynamodb stream Table -> TableFunction {2}POST .*\/streams\/Table\/changes$/m);
      assert.match(stdout, /^ {2}queue PausedQueue -> PausedFunction \(disabled\)/m);

      // A failing change is discarded (MaximumRetryAttempts 0) and its record reaches CollectFunction, which logs it.
      const collected = endpoint.stderrHas('ON_FAILURE_RECORD');
      const change = await fetch(`${url}/streams/Table/changes`, {
        method: 'POST',
        body: JSON.stringify({ keys: { id: { S: 'fail-cli' } }, newImage: { id: { S: 'fail-cli' } } }),
      });
      assert.equal(change.status, 200);
      await collected;
      assert.match(stderr(), /"DDBStreamBatchInfo":\{"shardId":"shardId-000000000000"/);

      const sent = await fetch(`${url}/queues/SizeQueue/messages`, { method: 'POST', body: JSON.stringify({ body: 'from the CLI test' }) });
      assert.equal(sent.status, 200);
      let counts: { visible: number; inFlight: number } = { visible: 1, inFlight: 0 };
      while (counts.visible + counts.inFlight > 0) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
        counts = ((await (await fetch(`${url}/queues/SizeQueue/messages`)).json()) as { counts: typeof counts }).counts;
      }
    } finally {
      exitCode = await endpoint.stop();
    }
    assert.equal(exitCode, 0, stderr());
  });
});
