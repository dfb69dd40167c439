// Saving while the handler is paused at a breakpoint: the paused invocation finishes on the old code, the next one runs the new.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pidAlive } from '../support/processes';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { breakpointLineOf, connectInspector, evaluate, pausedBefore, setSourceBreakpoint } from './inspectorSession';

describe('hot reload while paused at a breakpoint', () => {
  let work: string;
  let sourceFile: string;
  let harness: AdapterHarness;
  let cdp: CdpClient | undefined;

  before(async () => {
    work = fixtureCopy('typescript-function', 'lwb-reload-paused-test-');
    sourceFile = path.join(work, 'src', 'app.ts');
    harness = await AdapterHarness.start();
    await harness.launch({ template: path.join(work, 'template.yaml'), function: 'GreetFunction', backend: 'process' });
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('lets the paused invocation finish on the previous code and says the reload applies to the next invocation', async () => {
    const attached = harness.nextAttach();
    const paused = harness.invoke({ name: 'paused', pause: true });
    const target = await attached;
    cdp = await connectInspector(target);
    await setSourceBreakpoint(cdp, target, sourceFile, breakpointLineOf(sourceFile));
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await pausedBefore(cdp, paused);
    const pid = (await evaluate(cdp, 'process.pid')) as number;

    const reloaded = harness.outputMatching(/^Reloaded GreetFunction .*applies to the next invocation/);
    writeFileSync(sourceFile, readFileSync(sourceFile, 'utf8').replace('`hello ', '`howdy '));
    await reloaded;
    const line = harness.outputs.find((o) => o.output.startsWith('Reloaded GreetFunction'));
    assert.match(line?.output ?? '', /; applies to the next invocation \(the running invocation finishes on the previous code\)\.\n$/);
    assert.equal(line?.category, 'console');
    assert.ok(pidAlive(pid), 'the paused environment keeps running');

    await cdp.send('Debugger.resume');
    const { payload, body } = await paused;
    assert.equal(body.errorType, undefined, `no platform error, got ${String(body.errorType)}: ${JSON.stringify(payload)}`);
    assert.deepEqual(payload, { greeting: 'hello paused' }, 'finished on the code it started with');
    assert.ok(harness.outputs.some((o) => o.output.startsWith(`REPORT RequestId: ${body.requestId as string}`)));
    assert.ok(!harness.outputs.some((o) => /Runtime API server .* was closed/.test(o.output)));

    // The drained environment is replaced: the next invocation starts a new one with the new code.
    await cdp.close();
    cdp = undefined;
    const next = harness.nextAttach();
    const after = harness.invoke({ name: 'next' });
    cdp = await connectInspector(await next);
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.deepEqual((await after).payload, { greeting: 'howdy next' });
    assert.ok(!pidAlive(pid), `the environment of the previous code (${pid}) is stopped`);
  });
});
