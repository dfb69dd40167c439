// F5 flow on the process backend against the built adapter: attach event, a real CDP breakpoint in TypeScript, hot reload, cleanup.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RESULT_EVENT, type InvocationResultBody } from '../../src/adapter/customMessages';
import { pidAlive } from '../support/processes';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { originalPosition } from './generatedPosition';
import { breakpointLineOf, connectInspector, evaluate, pausedBefore, setSourceBreakpoint } from './inspectorSession';

describe('debugging a TypeScript function in a process', () => {
  let work: string;
  let harness: AdapterHarness;
  let sourceFile: string;
  let breakpointLine: number;
  let cdp: CdpClient;
  let mapFile: string;
  let breakpointId: string;
  let pid: number;

  before(async () => {
    work = fixtureCopy('typescript-function', 'lwb-debug-test-');
    sourceFile = path.join(work, 'src', 'app.ts');
    breakpointLine = breakpointLineOf(sourceFile);
    harness = await AdapterHarness.start();
    await harness.launch({ template: path.join(work, 'template.yaml'), function: 'GreetFunction', backend: 'process' });
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('announces a live inspector for the first instance and serves the first invocation', async () => {
    const attached = harness.nextAttach();
    const first = harness.invoke({ name: 'first' });
    const target = await attached;
    assert.equal(target.runtime, 'node');
    assert.equal(target.host, '127.0.0.1');
    cdp = await connectInspector(target);
    ({ breakpointId, mapFile } = await setSourceBreakpoint(cdp, target, sourceFile, breakpointLine));
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.deepEqual((await first).payload, { greeting: 'hello first' });
    pid = (await evaluate(cdp, 'process.pid')) as number;
    assert.ok(pidAlive(pid));
  });

  it('pauses at the breakpoint set in the TypeScript source, with the event in scope', async () => {
    const resumed = harness.invoke({ name: 'second', pause: true });
    const paused = await pausedBefore(cdp, resumed);
    const frame = paused.callFrames[0];
    assert.deepEqual(paused.hitBreakpoints, [breakpointId]);
    assert.deepEqual(originalPosition(mapFile, frame.location), { file: sourceFile, line: breakpointLine }, 'paused on the BREAKPOINT line of app.ts');
    assert.deepEqual(JSON.parse((await evaluate(cdp, 'JSON.stringify(event)', frame.callFrameId)) as string), { name: 'second', pause: true });
    assert.equal(typeof (await evaluate(cdp, 'context.awsRequestId', frame.callFrameId)), 'string');
    await cdp.send('Debugger.resume');
    const { payload, body } = await resumed;
    assert.deepEqual(payload, { greeting: 'hello second' });
    assert.ok(harness.outputs.some((o) => o.output.startsWith(`Response: {"greeting":"hello second"}`) && o.category === 'stdout'));
    assert.ok(harness.outputs.some((o) => o.output.includes(`paused for ${body.requestId as string}`)), 'the handler log line reaches the debug console');
  });

  it('forwards the init lines written before the first invocation', () => {
    const platform = harness.outputs.find((o) => o.output.startsWith('INIT_START Runtime Version: '));
    assert.equal(platform?.category, 'console');
    const initLine = harness.outputs.find((o) => o.output.endsWith('\tGreetFunction initialised\n'));
    assert.ok(initLine, 'the handler module\'s init line reaches the debug console');
    assert.equal(initLine.category, 'stdout');
    assert.match(initLine.output, /^\S+\tundefined\tINFO\t/, 'logged outside any invocation, as Lambda prints it');
  });

  it('writes each invocation as top-level lines, never in an output group', () => {
    // VS Code's Debug Console stops rendering lines added to an open group once a child session stops at a breakpoint.
    assert.deepEqual(harness.outputs.filter((o) => (o as { group?: string }).group), []);
    assert.equal(harness.outputs.filter((o) => /^Invoke GreetFunction \{"name":"/.test(o.output)).length, 2);
    const banners = harness.outputs.filter((o) => /^(Debugger listening on|For help, see:|Debugger attached\.)/.test(o.output));
    assert.deepEqual(banners, [], 'Node\'s inspector banners are left out');
    assert.ok(harness.outputs.some((o) => /^START RequestId: /.test(o.output)));
    assert.ok(harness.outputs.some((o) => /^REPORT RequestId: /.test(o.output)));
  });

  it('hot reload: after saving, the next invocation runs the new code in a new instance', async () => {
    await cdp.close();
    const reloaded = harness.outputMatching(/^Reloaded GreetFunction/);
    writeFileSync(sourceFile, readFileSync(sourceFile, 'utf8').replace('`hello ', '`howdy '));
    await reloaded;
    assert.ok(!pidAlive(pid), 'the warm instance running the old code is stopped');
    const attached = harness.nextAttach();
    const third = harness.invoke({ name: 'third' });
    cdp = await connectInspector(await attached);
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.deepEqual((await third).payload, { greeting: 'howdy third' });
    pid = (await evaluate(cdp, 'process.pid')) as number;
  });

  it('a build error is reported and the previous code keeps serving', async () => {
    const failed = harness.outputMatching(/^Reload of GreetFunction failed; the previous code keeps serving/);
    writeFileSync(sourceFile, 'export const handler = async (event => {\n');
    await failed;
    assert.ok(harness.outputs.some((o) => o.category === 'stderr' && o.output.startsWith('Reload of GreetFunction failed')));
    assert.deepEqual((await harness.invoke({ name: 'fourth' })).payload, { greeting: 'howdy fourth' });
    assert.ok(pidAlive(pid));
  });

  it('reports each result with its event and the invocation\'s own log lines (what the Test Explorer judges)', async () => {
    const reported = harness.client.waitForEvent(RESULT_EVENT, 30_000);
    const { body } = await harness.invoke({ name: 'fifth' });
    const result = (await reported).body as InvocationResultBody;
    assert.equal(result.requestId, body.requestId);
    assert.equal(result.functionName, 'GreetFunction');
    assert.deepEqual(JSON.parse(result.event), { name: 'fifth' });
    assert.deepEqual(JSON.parse(result.payload), { greeting: 'howdy fifth' });
    assert.match(result.logs[0] ?? '', new RegExp(`^START RequestId: ${body.requestId as string} `));
    assert.match(result.logs[result.logs.length - 1] ?? '', new RegExp(`^REPORT RequestId: ${body.requestId as string}\t`));
    assert.ok(!result.logs.some((line) => line.includes('initialised')), 'only the invocation\'s lines');
  });

  it('disconnect stops the instance and removes the session state', async () => {
    await cdp.close();
    await harness.stop();
    assert.ok(!pidAlive(pid), `runtime process ${pid} is gone`);
    assert.ok(!existsSync(mapFile), 'the session state directory is removed');
  });
});
