// The Lambda clock stands still while the debugger holds the handler paused (custom request setDeadlinePaused), and only then.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { AttachTarget } from '../../src/adapter/attachTarget';
import { DEADLINE_REQUEST, type DeadlineArguments } from '../../src/adapter/customMessages';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { breakpointLineOf, connectInspector, pausedBefore, setSourceBreakpoint } from './inspectorSession';

const TIMEOUT_SECONDS = 1;
/** How long the handler sits at the breakpoint: longer than the function timeout. */
const PAUSE_MS = TIMEOUT_SECONDS * 1000 * 2;

describe('the Lambda timeout while paused at a breakpoint', () => {
  let work: string;
  let sourceFile: string;
  let harness: AdapterHarness;
  let cdp: CdpClient | undefined;

  /** Connects to the instance the attach event names, sets the BREAKPOINT and lets it run. */
  async function attachWithBreakpoint(target: AttachTarget): Promise<CdpClient> {
    await cdp?.close();
    cdp = await connectInspector(target);
    await setSourceBreakpoint(cdp, target, sourceFile, breakpointLineOf(sourceFile));
    await cdp.send('Runtime.runIfWaitingForDebugger');
    return cdp;
  }

  function setDeadlinePaused(paused: boolean): Promise<unknown> {
    const args: DeadlineArguments = { paused };
    return harness.client.customRequest(DEADLINE_REQUEST, args);
  }

  before(async () => {
    work = fixtureCopy('typescript-function', 'lwb-deadline-test-');
    sourceFile = path.join(work, 'src', 'app.ts');
    harness = await AdapterHarness.start();
    await harness.launch({ template: path.join(work, 'template.yaml'), function: 'GreetFunction', backend: 'process', timeout: TIMEOUT_SECONDS });
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a pause longer than the timeout still ends with the handler\'s own response', async () => {
    const attached = harness.nextAttach();
    const invocation = harness.invoke({ name: 'slow', pause: true });
    const inspector = await attachWithBreakpoint(await attached);
    await pausedBefore(inspector, invocation);
    // What the extension's tracker does on js-debug's `stopped` and `continued` events.
    await setDeadlinePaused(true);
    await sleep(PAUSE_MS);
    await setDeadlinePaused(false);
    await inspector.send('Debugger.resume');
    const { payload, body } = await invocation;
    assert.equal(body.errorType, undefined, `no platform error, got ${String(body.errorType)}`);
    assert.deepEqual(payload, { greeting: 'hello slow' });
  });

  it('without the request the same pause times out (Sandbox.Timedout), as on Lambda', async () => {
    const invocation = harness.invoke({ name: 'unpaused', pause: true });
    assert.ok(cdp, 'attached by the previous test');
    await pausedBefore(cdp, invocation);
    // The timeout ends the invocation while the handler is still paused; the environment is reset.
    const { payload, body } = await invocation;
    assert.equal(body.errorType, 'Sandbox.Timedout');
    assert.match((payload as { errorMessage: string }).errorMessage, new RegExp(`Task timed out after ${TIMEOUT_SECONDS}\\.00 seconds`));
  });
});
