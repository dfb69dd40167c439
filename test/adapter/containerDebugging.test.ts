// F5 flow on the container backend against the built adapter: loopback-only debug ports, /var/task path mapping, hot reload, no container left.
// Needs a Docker engine (skipped with the reason otherwise) and builds the local runtime images it runs on.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AttachTarget } from '../../src/adapter/attachTarget';
import { LABEL_INSTANCE } from '../../src/core/instances/container/containerLabels';
import { NODE_RUNTIME, containersWithLabel, engineSkipReason, hostPythonRuntime, testImage } from '../container/containerHarness';
import { stopIn, withDebugpy } from '../support/debugpySession';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import type { CdpClient } from './cdpClient';
import { originalPosition } from './generatedPosition';
import { breakpointLineOf, connectInspector, evaluate, pausedBefore, setSourceBreakpoint } from './inspectorSession';
import { listeningAddresses } from '../support/listeningSockets';

const CONTAINER_TASK_ROOT = '/var/task';

/** The debug port answers on the host's loopback, and on no other address. */
function assertLoopbackOnly(target: AttachTarget): void {
  assert.equal(target.host, '127.0.0.1');
  assert.deepEqual(listeningAddresses(target.port), ['127.0.0.1'], `port ${target.port} listens on 127.0.0.1 only (not 0.0.0.0 or ::)`);
}

async function containersOf(instanceIds: string[]): Promise<string[]> {
  return (await Promise.all(instanceIds.map((id) => containersWithLabel(`${LABEL_INSTANCE}=${id}`)))).flat();
}

describe('debugging a TypeScript function in a container', { skip: engineSkipReason() }, () => {
  const instanceIds: string[] = [];
  let work: string;
  let harness: AdapterHarness;
  let sourceFile: string;
  let breakpointLine: number;
  let cdp: CdpClient;
  let mapFile: string;
  let remoteFile: string;
  let breakpointId: string;

  before(async () => {
    const image = await testImage(NODE_RUNTIME);
    work = fixtureCopy('typescript-function', 'lwb-container-debug-test-');
    sourceFile = path.join(work, 'src', 'app.ts');
    breakpointLine = breakpointLineOf(sourceFile);
    harness = await AdapterHarness.start();
    await harness.launch({ template: path.join(work, 'template.yaml'), function: 'GreetFunction', backend: 'container', image });
  });

  after(async () => {
    await cdp?.close().catch(() => undefined);
    await harness?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('announces a live inspector on 127.0.0.1 only, with the code mapped from the build output to /var/task', async () => {
    const attached = harness.nextAttach();
    const first = harness.invoke({ name: 'first' });
    const target = await attached;
    instanceIds.push(target.instanceId);
    assert.equal(target.runtime, 'node');
    assert.equal(target.remoteRoot, CONTAINER_TASK_ROOT);
    assert.ok(existsSync(target.localRoot), `localRoot ${target.localRoot} is a host directory`);
    assertLoopbackOnly(target);
    assert.equal((await containersOf([target.instanceId])).length, 1, 'the instance runs in a labelled container');
    cdp = await connectInspector(target);
    ({ breakpointId, mapFile, remoteFile } = await setSourceBreakpoint(cdp, target, sourceFile, breakpointLine));
    assert.ok(remoteFile.startsWith(`${CONTAINER_TASK_ROOT}/`), `the breakpoint URL is the container's path: ${remoteFile}`);
    // The local image waits for the debugger before running init, so the first invocation's breakpoints bind.
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.deepEqual((await first).payload, { greeting: 'hello first' });
    assert.ok(harness.outputs.some((o) => o.output.endsWith('\tGreetFunction initialised\n')), 'the init line reaches the debug console');
  });

  it('pauses at the breakpoint set in the TypeScript source, with the event in scope', async () => {
    const resumed = harness.invoke({ name: 'second', pause: true });
    const paused = await pausedBefore(cdp, resumed);
    const frame = paused.callFrames[0];
    assert.deepEqual(paused.hitBreakpoints, [breakpointId], 'the breakpoint set by its /var/task URL is the one hit');
    assert.deepEqual(originalPosition(mapFile, frame.location), { file: sourceFile, line: breakpointLine }, 'paused on the BREAKPOINT line of app.ts');
    assert.deepEqual(JSON.parse((await evaluate(cdp, 'JSON.stringify(event)', frame.callFrameId)) as string), { name: 'second', pause: true });
    assert.equal(await evaluate(cdp, 'process.env.LAMBDA_TASK_ROOT', frame.callFrameId), CONTAINER_TASK_ROOT);
    await cdp.send('Debugger.resume');
    assert.deepEqual((await resumed).payload, { greeting: 'hello second' });
  });

  it('hot reload: the next invocation runs the new code in a new container, the old one is removed', async () => {
    await cdp.close();
    const reloaded = harness.outputMatching(/^Reloaded GreetFunction/);
    writeFileSync(sourceFile, readFileSync(sourceFile, 'utf8').replace('`hello ', '`howdy '));
    await reloaded;
    assert.deepEqual(await containersOf(instanceIds), [], 'the container running the old code is gone');
    const attached = harness.nextAttach();
    const third = harness.invoke({ name: 'third' });
    const target = await attached;
    instanceIds.push(target.instanceId);
    assertLoopbackOnly(target);
    cdp = await connectInspector(target);
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.deepEqual((await third).payload, { greeting: 'howdy third' });
  });

  it('disconnect leaves no container', async () => {
    await cdp.close();
    await harness.stop();
    assert.deepEqual(await containersOf(instanceIds), []);
  });
});

describe('debugging a Python function in a container', { skip: engineSkipReason() }, () => {
  const runtime = hostPythonRuntime();
  const instanceIds: string[] = [];
  let codeDir: string;
  let harness: AdapterHarness;

  before(async () => {
    assert.ok(runtime, 'python3 is on PATH (the local Python image copies it)');
    const image = await testImage(runtime);
    codeDir = fixtureCopy('python-function', 'lwb-container-py-test-');
    harness = await AdapterHarness.start();
    await harness.launch({ handler: 'app.handler', runtime, codeDir, backend: 'container', image });
  });

  after(async () => {
    await harness?.stop();
    if (codeDir) rmSync(codeDir, { recursive: true, force: true });
  });

  it('debugpy listens on 127.0.0.1 only; a DAP client attaches with the /var/task mapping and stops at a breakpoint', async () => {
    const attached = harness.nextAttach();
    const first = harness.invoke({ name: 'py' });
    const target = await attached;
    instanceIds.push(target.instanceId);
    assert.equal(target.runtime, 'python');
    assert.equal(target.localRoot, codeDir);
    assert.equal(target.remoteRoot, CONTAINER_TASK_ROOT);
    assertLoopbackOnly(target);
    assert.deepEqual((await first).payload, { greeting: 'hello py' });

    const sourceFile = path.join(codeDir, 'app.py');
    const line = breakpointLineOf(sourceFile) + 1;
    const pathMappings = [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }];
    await withDebugpy(target, { path: sourceFile, line }, { justMyCode: true, pathMappings }, async ({ client, breakpoint }) => {
      assert.equal(breakpoint?.verified, true, 'the breakpoint in the local file binds to /var/task/app.py');
      const { threadId, frame, invocation } = await stopIn(client, () => harness.invoke({ name: 'paused' }));
      assert.equal(frame?.source?.path, sourceFile, 'the paused frame is shown in the local file');
      assert.equal(frame?.line, line);
      const value = await client.evaluateRequest({ expression: 'event["name"]', frameId: frame.id, context: 'watch' });
      assert.equal(value.body.result, "'paused'");
      await client.continueRequest({ threadId });
      assert.deepEqual((await invocation).payload, { greeting: 'hello paused' });
    });
  });

  it('disconnect leaves no container', async () => {
    await harness.stop();
    assert.deepEqual(await containersOf(instanceIds), []);
  });
});
