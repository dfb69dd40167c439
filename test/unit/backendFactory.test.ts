// The one backend factory of every front end: the per-function choice of `auto`, the container options, and a real service on it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBackend, containerOptions } from '../../src/core/instances/backendFactory';
import { backendKindFor } from '../../src/core/instances/backendKind';
import { discoverEngineEndpoints } from '../../src/core/instances/container/engineEndpoints';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { EngineUnderTest, engineSpec, json } from '../support/engineBehaviours';

const node = engineSpec('Node', 'handlers.echo');
const python = engineSpec('Python', 'handlers.echo', {}, 'python', 'python3.11');
const custom = engineSpec('Custom', 'ignored.handler', {}, 'custom', 'provided.al2023');
const java = engineSpec('Java', 'example.Handler::handleRequest', {}, 'node', 'java21');
const image = engineSpec('Image', 'handlers.echo', { packageType: 'Image', imageUri: 'example/function:1' });

describe('backend factory', () => {
  it('auto runs images and runtimes this host cannot start in containers, the rest as processes', () => {
    assert.equal(backendKindFor('auto', node), 'process');
    assert.equal(backendKindFor('auto', custom), 'process');
    // python3 is installed on this machine (scripts/setup.sh), so Python functions run as processes.
    assert.equal(backendKindFor('auto', python), 'process');
    assert.equal(backendKindFor('auto', java), 'container');
    assert.equal(backendKindFor('auto', image), 'container');
  });

  it('process and container are the same for every function', () => {
    for (const spec of [node, python, java, image]) {
      assert.equal(backendKindFor('process', spec), 'process');
      assert.equal(backendKindFor('container', spec), 'container');
    }
  });

  // The container choice connects to an engine as it is made: the container suite covers it (containerFactory.test.ts).
  it('creates the process backend, or the auto backend that decides per function', async () => {
    const processes = createBackend({ choice: 'process' });
    const auto = createBackend({ choice: 'auto' });
    try {
      assert.equal(processes.kindFor(image), 'process');
      assert.ok(processes instanceof ProcessBackend);
      assert.equal(auto.kindFor(node), 'process');
      assert.equal(auto.kindFor(image), 'container');
    } finally {
      await Promise.all([processes.dispose(), auto.dispose()]);
    }
  });

  it('folds image overrides and the engine address into the container options', () => {
    const options = containerOptions({
      choice: 'container',
      imageOverrides: { 'nodejs20.x': 'registry.example/node20:1' },
      dockerHost: 'tcp://127.0.0.1:2375',
      container: { networkMode: 'bridge', reaper: false },
    });
    assert.deepEqual(options.images, { 'nodejs20.x': 'registry.example/node20:1' });
    assert.equal(options.networkMode, 'bridge');
    assert.equal(options.reaper, false);
    const candidates = discoverEngineEndpoints(options.engine?.discovery);
    assert.equal(candidates.explicit, true);
    assert.deepEqual(candidates.endpoints.map((e) => e.connection), [{ protocol: 'http', host: '127.0.0.1', port: 2375 }]);
    // No address and no overrides: discovery as the Docker CLI does it, the official images.
    assert.deepEqual(containerOptions({ choice: 'container', dockerHost: '' }), {});
  });

  it('a disposed auto backend launches nothing', async () => {
    const auto = createBackend({ choice: 'auto' });
    await auto.dispose();
    await assert.rejects(
      auto.launch({ instanceId: 'x', spec: node, codeDir: node.codeDir, layerDirs: [], tmpDir: '/tmp', runtimeApiHostPort: '127.0.0.1:9', environment: {}, onOutput: () => undefined }),
      /disposed/,
    );
  });
});

describe('a service on the auto backend', () => {
  const engine = new EngineUnderTest();

  before(() => engine.start(createBackend({ choice: 'auto' }), [node, custom]));
  after(() => engine.dispose());

  it('runs Node.js and custom runtimes as processes and says so in the instance list', async () => {
    assert.equal(json((await engine.invoke('Node', { a: 1 })).payload).event.a, 1);
    assert.equal((await engine.invoke('Custom', {})).functionError, undefined);
    const instances = engine.service.listInstances();
    assert.deepEqual(instances.map((info) => [info.functionName, info.backend]).sort(), [['Custom', 'process'], ['Node', 'process']]);
    for (const info of instances) assert.match(info.displayId, /^pid \d+$/);
  });
});
