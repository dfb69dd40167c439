// Python on the process backend: the attach event names a live debugpy that a real DAP client attaches to and stops in.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { stopIn, withDebugpy } from '../support/debugpySession';
import { AdapterHarness, fixtureCopy } from './adapterHarness';
import { breakpointLineOf } from './inspectorSession';
import { listeningAddresses } from '../support/listeningSockets';

let codeDir: string;
let harness: AdapterHarness;

before(async () => {
  // A copy: Python writes __pycache__ next to the code it imports.
  codeDir = fixtureCopy('python-function', 'lwb-py-debug-test-');
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
  await withDebugpy(target, { path: sourceFile, line }, { justMyCode: true }, async ({ client, capabilities }) => {
    assert.equal(capabilities?.supportsConfigurationDoneRequest, true);
    const { threadId, frame, invocation } = await stopIn(client, () => harness.invoke({ name: 'attached' }));
    assert.equal(frame?.source?.path, sourceFile);
    assert.equal(frame?.line, line);
    await client.continueRequest({ threadId });
    assert.deepEqual((await invocation).payload, { greeting: 'hello attached' });
  });
});
