// A debug session's invocation that times out, whose handler exits or throws outside it, or whose client stops mid-way:
// each ends with Lambda's error, END and REPORT in the Debug Console, and leaves no runtime process behind.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { descendantsOf } from '../support/processTree';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { breakpointLineOf, connectInspector, pausedBefore, remotePath } from './inspectorSession';

/** The runtime processes this test file started (through its adapters). */
function runtimeProcesses(): number[] {
  return descendantsOf(process.pid).filter((entry) => entry.command.includes('runtimes/node/bootstrap.js')).map((entry) => entry.pid);
}

/** Waits (generously) until no runtime process is left: an environment being reset is killed asynchronously. */
async function noRuntimeLeft(): Promise<void> {
  for (let i = 0; i < 300 && runtimeProcesses().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(runtimeProcesses(), [], 'no runtime process is left');
}

describe('debug sessions whose invocation ends the hard way', { timeout: 180_000 }, () => {
  let work: string;
  let sourceFile: string;
  let harness: AdapterHarness | undefined;
  const inspectors: CdpClient[] = [];

  async function launch(extra: Record<string, unknown> = {}): Promise<AdapterHarness> {
    harness = await AdapterHarness.start();
    await harness.launch({ template: path.join(work, 'template.yaml'), function: 'EndingFunction', backend: 'process', ...extra });
    return harness;
  }

  /**
   * Invokes with `event` and does what js-debug does on the attach event: connect, set the BREAKPOINT if asked, let the
   * instance run, and detach when its execution context goes away (Node waits for an attached debugger before exiting).
   */
  async function invokeAttached(session: AdapterHarness, event: unknown, breakpoint = false): Promise<{ invocation: ReturnType<AdapterHarness['invoke']>; cdp: CdpClient }> {
    const announced = session.nextAttach();
    const invocation = session.invoke(event);
    invocation.catch(() => undefined);
    const target = await announced;
    const cdp = await connectInspector(target);
    inspectors.push(cdp);
    await cdp.send('Runtime.enable');
    void cdp.waitFor('Runtime.executionContextDestroyed').then(() => cdp.close());
    if (breakpoint) {
      // JavaScript runs as written: the BREAKPOINT line of app.js where the instance loads it.
      const url = remotePath(target, sourceFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: `${url}$`, lineNumber: breakpointLineOf(sourceFile) });
    }
    await cdp.send('Runtime.runIfWaitingForDebugger');
    return { invocation, cdp };
  }

  /** The request's END and REPORT lines (platform lines: the console category); resolves with the REPORT line. */
  async function endOf(session: AdapterHarness, requestId: string): Promise<string> {
    await session.outputMatching(new RegExp(`^REPORT RequestId: ${requestId}`));
    const report = session.outputs.find((o) => o.output.startsWith(`REPORT RequestId: ${requestId}`));
    assert.equal(report?.category, 'console');
    const end = session.outputs.findIndex((o) => o.output.startsWith(`END RequestId: ${requestId}`));
    assert.ok(end >= 0 && end < session.outputs.indexOf(report), 'END before REPORT');
    return report.output;
  }

  before(() => {
    work = fixtureCopy('ending-function', 'lwb-debug-endings-test-');
    sourceFile = path.join(work, 'src', 'app.js');
  });

  afterEach(async () => {
    await Promise.all(inspectors.splice(0).map((cdp) => cdp.close().catch(() => undefined)));
    await harness?.stop();
    harness = undefined;
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('a timeout ends the invocation with Sandbox.Timedout, END and REPORT, and resets the environment', async () => {
    const session = await launch({ timeout: 1 });
    const { invocation } = await invokeAttached(session, { sleepMs: 10_000 });
    const { payload, body } = await invocation;
    const requestId = body.requestId as string;
    assert.equal(body.errorType, 'Sandbox.Timedout');
    assert.deepEqual(payload, { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds` });
    assert.ok(session.outputs.some((o) => o.output.startsWith('Error (Sandbox.Timedout): ') && o.category === 'stderr'));
    assert.ok(session.outputs.some((o) => o.output.endsWith(` ${requestId} Task timed out after 1.00 seconds\n`)), 'the timeout line');
    assert.match(await endOf(session, requestId), /\tStatus: timeout\tError Type: Sandbox\.Timedout/);
    await noRuntimeLeft();
  });

  it('process.exit in the handler ends the invocation with Runtime.ExitError, END and REPORT', async () => {
    const session = await launch();
    const { invocation } = await invokeAttached(session, { exitCode: 3 });
    const { payload, body } = await invocation;
    const requestId = body.requestId as string;
    assert.equal(body.errorType, 'Runtime.ExitError', JSON.stringify(payload));
    assert.deepEqual(payload, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 3` });
    assert.ok(session.outputs.some((o) => o.output.startsWith('Error (Runtime.ExitError): ') && o.category === 'stderr'));
    assert.match(await endOf(session, requestId), /\tStatus: error\tError Type: Runtime\.ExitError/);
    await noRuntimeLeft();
  });

  it('an uncaught exception ends the invocation with its error and Lambda\'s "Uncaught Exception" line, END and REPORT', async () => {
    const session = await launch();
    const { invocation } = await invokeAttached(session, { uncaught: 'thrown outside the handler' });
    const { payload, body } = await invocation;
    const requestId = body.requestId as string;
    assert.equal(body.errorType, 'TypeError', JSON.stringify(payload));
    assert.equal((payload as { errorMessage: string }).errorMessage, 'thrown outside the handler');
    assert.ok(
      session.outputs.some((o) => o.output.includes(`\t${requestId}\tERROR\tUncaught Exception \t{"errorType":"TypeError","errorMessage":"thrown outside the handler"`)),
      'the runtime\'s Uncaught Exception line',
    );
    await endOf(session, requestId);
    await noRuntimeLeft();
  });

  it('a runtime that ends before its debugger port opens is said when it ends, and the invocation ends with Runtime.ExitError', async () => {
    // Node.js refuses the option and exits before its inspector listens: no attach event can come.
    const session = await launch({ env: { NODE_OPTIONS: '--no-such-option' } });
    const { payload, body } = await session.invoke({});
    const requestId = body.requestId as string;
    assert.equal(body.errorType, 'Runtime.ExitError', JSON.stringify(payload));
    assert.match(await endOf(session, requestId), /\tStatus: error\tError Type: Runtime\.ExitError/);
    // Said as the runtime ends, not when the 30 s limit for the port has passed.
    await session.outputMatching(/^The runtime of .* ended before its debugger port \(127\.0\.0\.1:\d+\) opened: Runtime exited with error: exit status 9\. Its output above says why\.\n$/);
    assert.ok(session.outputs.some((o) => o.output.includes('--no-such-option is not allowed in NODE_OPTIONS')), 'node\'s own message is in the console');
    assert.ok(!session.outputs.some((o) => o.output.includes('did not open within')));
    await noRuntimeLeft();
  });

  it('Stop while the handler is paused at a breakpoint ends its environment before the disconnect is answered', async () => {
    const session = await launch();
    const { invocation, cdp } = await invokeAttached(session, { pause: true }, true);
    await pausedBefore(cdp, invocation);
    assert.equal(runtimeProcesses().length, 1);
    await session.client.disconnectRequest({});
    assert.deepEqual(runtimeProcesses(), [], 'the runtime process is gone when disconnect is answered');
  });
});
