// Python on the process backend: the attach event names a live debugpy that a real DAP client attaches to and stops in.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { AdapterHarness, fixturesDir } from './adapterHarness';
import { breakpointLineOf } from './inspectorSession';
import { listeningAddresses } from './listeningSockets';

let codeDir: string;
let harness: AdapterHarness;

before(async () => {
  // A copy: Python writes __pycache__ next to the code it imports.
  codeDir = mkdtempSync(path.join(tmpdir(), 'lwb-py-debug-test-'));
  cpSync(path.join(fixturesDir, 'python-function'), codeDir, { recursive: true });
  harness = await AdapterHarness.start();
  await harness.launch({ handler: 'app.handler', runtime: 'python3.11', codeDir, backend: 'process' });
});

after(async () => {
  await harness.stop();
  rmSync(codeDir, { recursive: true, force: true });
});

it('announces debugpy for a Python instance, and a DAP client attaches to it and stops at a breakpoint', async () => {
  const attached = harness.nextAttach();
  const first = harness.invoke({ name: 'py' });
  const target = await attached;
  assert.equal(target.runtime, 'python');
  assert.equal(target.host, '127.0.0.1');
  assert.equal(target.localRoot, codeDir);
  assert.equal(target.remoteRoot, codeDir);
  assert.deepEqual(listeningAddresses(target.port), ['127.0.0.1']);
  assert.deepEqual((await first).payload, { greeting: 'hello py' });

  const sourceFile = path.join(codeDir, 'app.py');
  const line = breakpointLineOf(sourceFile) + 1;
  const debugpy = new DebugClient(process.execPath, '', 'debugpy');
  await debugpy.start(target.port);
  try {
    const initialized = debugpy.waitForEvent('initialized');
    const capabilities = await debugpy.initializeRequest();
    assert.equal(capabilities.body?.supportsConfigurationDoneRequest, true);
    const attachDone = debugpy.attachRequest({ justMyCode: true } as never);
    await initialized;
    await debugpy.setBreakpointsRequest({ source: { path: sourceFile }, breakpoints: [{ line }] });
    await debugpy.configurationDoneRequest();
    await attachDone;

    const stopped = debugpy.waitForEvent('stopped');
    const invocation = harness.invoke({ name: 'attached' });
    const threadId = (await stopped).body.threadId as number;
    const frame = (await debugpy.stackTraceRequest({ threadId })).body.stackFrames[0];
    assert.equal(frame?.source?.path, sourceFile);
    assert.equal(frame?.line, line);
    await debugpy.continueRequest({ threadId });
    assert.deepEqual((await invocation).payload, { greeting: 'hello attached' });
  } finally {
    await debugpy.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
    await debugpy.stop();
  }
});
