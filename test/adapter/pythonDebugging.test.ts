// Python on the process backend: the attach event names a live debugpy that a real DAP client attaches to.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { AdapterHarness, fixturesDir } from './adapterHarness';

const codeDir = path.join(fixturesDir, 'python-function');
let harness: AdapterHarness;

before(async () => {
  harness = await AdapterHarness.start();
  await harness.launch({ handler: 'app.handler', runtime: 'python3.11', codeDir, backend: 'process' });
});

after(async () => {
  await harness.stop();
});

it('announces debugpy for a Python instance, and a DAP client attaches to it', async () => {
  const attached = harness.nextAttach();
  const first = harness.invoke({ name: 'py' });
  const target = await attached;
  assert.equal(target.runtime, 'python');
  assert.equal(target.host, '127.0.0.1');
  assert.equal(target.localRoot, codeDir);
  assert.equal(target.remoteRoot, codeDir);
  assert.deepEqual((await first).payload, { greeting: 'hello py' });

  const debugpy = new DebugClient(process.execPath, '', 'debugpy');
  await debugpy.start(target.port);
  try {
    const initialized = debugpy.waitForEvent('initialized');
    const capabilities = await debugpy.initializeRequest();
    assert.equal(capabilities.body?.supportsConfigurationDoneRequest, true);
    const attachDone = debugpy.attachRequest({ justMyCode: true } as never);
    await initialized;
    await debugpy.configurationDoneRequest();
    await attachDone;
    const threads = await debugpy.threadsRequest();
    assert.ok(threads.body.threads.length > 0, 'debugpy reports the instance\'s threads');
    assert.deepEqual((await harness.invoke({ name: 'attached' })).payload, { greeting: 'hello attached' });
  } finally {
    await debugpy.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
    await debugpy.stop();
  }
});
