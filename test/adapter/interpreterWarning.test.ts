// A runtime whose interpreter version this machine lacks: the debug console says so once, with the container backend as the way out.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { resolveInterpreter } from '../../src/core/instances/process/interpreters';
import { AdapterHarness, fixtureCopy } from './adapterHarness';

const RUNTIME = 'python3.14';

describe('the interpreter warning in the debug console', () => {
  let codeDir: string;
  let harness: AdapterHarness;
  let missing: boolean;

  before(async () => {
    missing = (await resolveInterpreter(RUNTIME)).mismatch !== undefined;
    if (!missing) return;
    codeDir = fixtureCopy('python-function', 'lwb-interpreter-warning-');
    harness = await AdapterHarness.start();
    await harness.launch({ handler: 'app.handler', runtime: RUNTIME, codeDir, backend: 'process' });
  });

  after(async () => {
    await harness?.stop();
    if (codeDir) rmSync(codeDir, { recursive: true, force: true });
  });

  it('names the missing version and the container backend, once, and the function still runs', async (t) => {
    if (!missing) return t.skip(`${RUNTIME} has a matching interpreter on this machine`);
    assert.deepEqual((await harness.invoke({ name: 'one' })).payload, { greeting: 'hello one' });
    assert.deepEqual((await harness.invoke({ name: 'two' })).payload, { greeting: 'hello two' });
    const warnings = harness.outputs.filter((body) => body.output.includes(`${RUNTIME} needs Python 3.14, but none was found`));
    assert.equal(warnings.length, 1, JSON.stringify(harness.outputs.map((body) => body.output)));
    assert.match(warnings[0]!.output, /^Warning: app-handler: python3\.14 needs Python 3\.14, but none was found, so it runs on Python 3\.\d+/);
    assert.match(warnings[0]!.output, /--backend container/);
  });
});
