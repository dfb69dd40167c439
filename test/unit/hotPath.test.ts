// The hot path's savings keep their behaviour: quiet results without flush markers, batched CLI log writes, /proc memory reads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { BatchedWrites, HOLD_MS } from '../../src/cli/batchedWrites';
import { ProcessMemoryReader } from '../../src/core/instances/process/processMemory';
import { FLUSH_MARKER, QUIET_RESULTS_ENV } from '../../src/shared/runtimeProtocol';
import { FUNCTION_ARN, runtimePerTest } from './nodeRuntimeHarness';

describe('Node runtime: quiet results', () => {
  const start = runtimePerTest();
  const invoke = (rt: Awaited<ReturnType<typeof start>>, requestId: string) =>
    rt.server.invoke({ requestId, payload: Buffer.from('{}'), deadlineMs: Date.now() + 60_000, invokedFunctionArn: FUNCTION_ARN });

  it('posts a quiet result without markers once nothing was written since the last ones', async () => {
    const rt = await start('async', 'index.returnsNothing', { [QUIET_RESULTS_ENV]: '1' });
    const first = await invoke(rt, 'quiet-1');
    assert.equal(first.quiet, undefined, 'the first result still flushes what init may have written');
    const second = await invoke(rt, 'quiet-2');
    assert.deepEqual(second, { kind: 'response', payload: Buffer.from('null'), contentType: 'application/json', streamed: false, quiet: true });
    assert.ok(!rt.stdout.includes(`${FLUSH_MARKER}quiet-2`) && !rt.stderr.includes(`${FLUSH_MARKER}quiet-2`));
  });

  it('writes the markers, and posts no quiet result, when the handler wrote a line', async () => {
    const rt = await start('async', 'index.handler', { [QUIET_RESULTS_ENV]: '1' });
    await rt.invoke({}, { requestId: 'noisy-1' });
    const outcome = await rt.invoke({}, { requestId: 'noisy-2' });
    assert.equal(outcome.quiet, undefined);
    const lines = rt.stdout.split('\n');
    assert.match(lines[lines.indexOf(`${FLUSH_MARKER}noisy-2`) - 1] ?? '', /\tINFO\thandling \{\}$/);
    assert.ok(rt.stderr.includes(`${FLUSH_MARKER}noisy-2\n`));
  });

  it('always writes the markers when the engine did not ask for quiet results', async () => {
    const rt = await start('async', 'index.returnsNothing');
    await rt.invoke({}, { requestId: 'plain-1' });
    const outcome = await rt.invoke({}, { requestId: 'plain-2' });
    assert.equal(outcome.quiet, undefined);
    assert.ok(rt.stdout.includes(`${FLUSH_MARKER}plain-2\n`) && rt.stderr.includes(`${FLUSH_MARKER}plain-2\n`));
  });
});

describe('CLI log lines: BatchedWrites', () => {
  function recordingStream(): { stream: Writable; writes: string[] } {
    const writes: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString());
        done();
      },
      writev(chunks, done) {
        writes.push(chunks.map(({ chunk }) => String(chunk)).join(''));
        done();
      },
    });
    return { stream, writes };
  }

  it('writes the lines of one event-loop turn, and other writes between them, in order and in one write', async () => {
    const { stream, writes } = recordingStream();
    const batched = new BatchedWrites(stream);
    batched.line('handler line 1');
    stream.write('Warning: between\n');
    batched.line('handler line 2');
    assert.deepEqual(writes, []);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['handler line 1\nWarning: between\nhandler line 2\n']);
  });

  it('writes platform lines (END, REPORT) with what came before them in one write, before what awaits them', async () => {
    const { stream, writes } = recordingStream();
    const batched = new BatchedWrites(stream);
    const finish = async (): Promise<void> => {
      batched.line('handler line');
      batched.line('END RequestId: a', true);
      batched.line('REPORT RequestId: a', true);
    };
    await finish();
    assert.deepEqual(writes, ['handler line\nEND RequestId: a\nREPORT RequestId: a\n']);
  });

  // The hold timer is mocked in the two tests that hold a line over turns: a loaded machine may take longer than HOLD_MS
  // between two turns, which is the timer's case (the next test but one), not theirs.
  it('holds a START line over turns until a line flushes, then writes them in one write', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { stream, writes } = recordingStream();
    const batched = new BatchedWrites(stream);
    batched.heldLine('START RequestId: a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, []);
    batched.line('handler line');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['START RequestId: a\nhandler line\n']);
  });

  it('writes held START, END and REPORT lines at the end of the turn that awaits written(), before what awaits it', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { stream, writes } = recordingStream();
    const batched = new BatchedWrites(stream);
    batched.heldLine('START RequestId: a');
    await new Promise((resolve) => setImmediate(resolve));
    batched.heldLine('END RequestId: a');
    batched.heldLine('REPORT RequestId: a');
    await batched.written();
    assert.deepEqual(writes, ['START RequestId: a\nEND RequestId: a\nREPORT RequestId: a\n']);
    assert.equal(batched.written(), undefined);
  });

  it('writes a held line alone once HOLD_MS have passed', async () => {
    const { stream, writes } = recordingStream();
    const batched = new BatchedWrites(stream);
    batched.heldLine('START RequestId: long');
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 20));
    assert.deepEqual(writes, ['START RequestId: long\n']);
  });

  it('flush() writes at once and leaves no exit listener behind', () => {
    const { stream, writes } = recordingStream();
    const listeners = process.listenerCount('exit');
    const batched = new BatchedWrites(stream);
    batched.line('one');
    assert.equal(process.listenerCount('exit'), listeners + 1);
    batched.flush();
    batched.flush();
    assert.deepEqual(writes, ['one\n']);
    assert.equal(process.listenerCount('exit'), listeners);
  });

  it('writes a pending line when the process exits before the turn ends', async () => {
    const script = `const { BatchedWrites } = require(${JSON.stringify(require.resolve('../../src/cli/batchedWrites'))});
      new BatchedWrites(process.stderr).line('REPORT before exit'); process.exit(3);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.equal(code, 3);
    assert.equal(stderr, 'REPORT before exit\n');
  });
});

describe('ProcessMemoryReader', () => {
  it('reads a live process again and again through one descriptor, and nothing once it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const reader = new ProcessMemoryReader(child.pid as number);
    const first = reader.read();
    const second = reader.read();
    assert.ok(first && first.rssMB > 0 && first.peakMB >= first.rssMB, JSON.stringify(first));
    assert.ok(second && second.peakMB >= first.peakMB);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    assert.equal(reader.read(), undefined);
    reader.close();
  });
});
