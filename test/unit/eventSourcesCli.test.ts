// `lambda-workbench start` with event sources: the built CLI as a child process, fed through its event sources endpoint.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const FIXTURE = resolve(__dirname, '../../../test/fixtures/eventSources');

describe('lambda-workbench start with event sources', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-esm-cli-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the endpoint, polls the streams and queues, and stops cleanly on SIGINT', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--events-port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
    let stderr = '';
    const stderrHas = (text: string) => new Promise<void>((resolveSeen) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        child.stderr.off('data', check);
        resolveSeen();
      };
      child.stderr.on('data', check);
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^Event sources on (http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout);
        if (match && stdout.endsWith('\n')) resolveUrl(match[1]);
      });
      child.on('close', () => reject(new Error(`start exited early: ${stdout}${stderr}`)));
    });
    try {
      assert.match(stdout, /^ {2}queue Orders\.fifo -> FifoFunction {2}POST http:\/\/127\.0\.0\.1:\d+\/queues\/Orders\.fifo\/messages$/m);
      assert.match(stdout, /^ {2}dynamodb stream Table -> TableFunction {2}POST .*\/streams\/Table\/changes$/m);
      assert.match(stdout, /^ {2}queue PausedQueue -> PausedFunction \(disabled\)/m);

      // A failing change is discarded (MaximumRetryAttempts 0) and its record reaches CollectFunction, which logs it.
      const collected = stderrHas('ON_FAILURE_RECORD');
      const change = await fetch(`${url}/streams/Table/changes`, {
        method: 'POST',
        body: JSON.stringify({ keys: { id: { S: 'fail-cli' } }, newImage: { id: { S: 'fail-cli' } } }),
      });
      assert.equal(change.status, 200);
      await collected;
      assert.match(stderr, /"DDBStreamBatchInfo":\{"shardId":"shardId-000000000000"/);

      const sent = await fetch(`${url}/queues/SizeQueue/messages`, { method: 'POST', body: JSON.stringify({ body: 'from the CLI test' }) });
      assert.equal(sent.status, 200);
      let counts: { visible: number; inFlight: number } = { visible: 1, inFlight: 0 };
      while (counts.visible + counts.inFlight > 0) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
        counts = ((await (await fetch(`${url}/queues/SizeQueue/messages`)).json()) as { counts: typeof counts }).counts;
      }
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
  });
});
