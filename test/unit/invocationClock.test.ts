// The Lambda clock of an environment: one lazily re-armed timer serves invocation after invocation; deadlines, pauses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvocationClock } from '../../src/core/instances/invocationClock';

/** Starts a deadline of `ms` and resolves with how long after the start it expired (or undefined if stopped first). */
function expiry(clock: InvocationClock, ms: number): { fired: Promise<number> } {
  const startedAt = performance.now();
  return { fired: new Promise((resolve) => clock.start(ms, () => resolve(performance.now() - startedAt))) };
}

describe('InvocationClock', () => {
  it('expires an invocation at its own deadline after many shorter ones reused the timer', async () => {
    const clock = new InvocationClock();
    for (let n = 0; n < 5; n++) {
      clock.start(60, () => assert.fail('a stopped invocation expired'));
      await sleep(20);
      clock.stop();
    }
    const elapsed = await expiry(clock, 60).fired;
    assert.ok(elapsed >= 59 && elapsed < 200, `expired after ${elapsed} ms`);
    clock.stop();
    clock.dispose();
  });

  it('expires a shorter deadline than the one its timer was armed for, on time', async () => {
    const clock = new InvocationClock();
    clock.start(5_000, () => assert.fail('a stopped invocation expired'));
    clock.stop();
    const elapsed = await expiry(clock, 30).fired;
    assert.ok(elapsed >= 29 && elapsed < 200, `expired after ${elapsed} ms`);
    clock.dispose();
  });

  it('holds the deadline while paused, and runs the rest after resume', async () => {
    const clock = new InvocationClock();
    const { fired } = expiry(clock, 60);
    await sleep(30);
    clock.pause();
    clock.pause();
    await sleep(100);
    clock.resume();
    const elapsed = await fired;
    assert.ok(elapsed >= 159 && elapsed < 400, `expired after ${elapsed} ms (30 ms run, 100 ms paused, 30 ms left)`);
    clock.dispose();
  });

  it('does not keep the process alive between invocations, and keeps it alive during one', async () => {
    const script = `const { InvocationClock } = require(${JSON.stringify(require.resolve('../../src/core/instances/invocationClock'))});
      const clock = new InvocationClock();
      clock.start(10_000, () => {}); clock.stop();
      const started = Date.now();
      clock.start(50, () => { console.log('expired'); clock.stop(); process.on('exit', () => console.log('exited after', Date.now() - started < 5000)); });`;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    assert.equal(await new Promise((resolve) => child.once('close', resolve)), 0);
    assert.equal(stdout, 'expired\nexited after true\n');
  });
});
