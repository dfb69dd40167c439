// Debug sessions build readable code: a TypeScript function with `Minify: true` shows its own names and variables at a breakpoint.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { breakpointLineOf, connectInspector, evaluate, pausedBefore, setSourceBreakpoint } from './inspectorSession';

describe('debugging a function the template minifies', () => {
  let work: string;
  let harness: AdapterHarness;
  let cdp: CdpClient | undefined;

  before(async () => {
    work = fixtureCopy('typescript-function', 'lwb-readable-debug-');
    const template = path.join(work, 'template.yaml');
    const minified = readFileSync(template, 'utf8').replace('Minify: false', 'Minify: true');
    assert.match(minified, /Minify: true/);
    writeFileSync(template, minified);
    harness = await AdapterHarness.start();
    await harness.launch({ template, function: 'GreetFunction', backend: 'process' });
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('stops in a frame named handler with the event and every local inspectable', async () => {
    const sourceFile = path.join(work, 'src', 'app.ts');
    const attached = harness.nextAttach();
    const first = harness.invoke({ name: 'first' });
    const target = await attached;
    cdp = await connectInspector(target);
    await setSourceBreakpoint(cdp, target, sourceFile, breakpointLineOf(sourceFile));
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await first;

    const resumed = harness.invoke({ name: 'readable', pause: true });
    const paused = await pausedBefore(cdp, resumed);
    const frame = paused.callFrames[0] as (typeof paused.callFrames)[number] & { functionName: string };
    assert.equal(frame.functionName, 'handler');
    assert.deepEqual(JSON.parse((await evaluate(cdp, 'JSON.stringify(event)', frame.callFrameId)) as string), { name: 'readable', pause: true });
    assert.equal(await evaluate(cdp, 'greeting', frame.callFrameId), 'hello readable');
    await cdp.send('Debugger.resume');
    assert.deepEqual((await resumed).payload, { greeting: 'hello readable' });
  });

});
