// The container backend against an engine reached over tcp:// (dockerHost), here the local engine behind a proxy that refuses bind
// mounts as a remote engine must: code, layers and /tmp are uploaded into the containers, and every engine behaviour still holds.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { createBackend } from '../../src/core/instances/backendFactory';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_FUNCTION, LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { EngineUnderTest, declareEngineBehaviours, engineSpec, json, sharedEngineSpecs } from '../support/engineBehaviours';
import { NODE_RUNTIME, engineSkipReason, fixtures, imagesFor, testImage } from './containerHarness';
import { TcpEngineProxy } from './tcpEngineProxy';

describe('container backend on a tcp:// engine (no shared files)', { skip: engineSkipReason() }, () => {
  const engine = new EngineUnderTest();
  let proxy: TcpEngineProxy;
  let backend: ContainerBackend;
  let docker: Dockerode;
  const containerOf = (functionName: string) => docker.getContainer((engine.displayIdOf(functionName) ?? '').replace('container ', ''));

  before(async () => {
    await testImage(NODE_RUNTIME);
    ({ docker } = await connectDockerEngine());
    proxy = await TcpEngineProxy.start();
    const created = createBackend({ choice: 'container', dockerHost: proxy.address, imageOverrides: imagesFor(NODE_RUNTIME) });
    assert.ok(created instanceof ContainerBackend);
    backend = created;
    engine.start(backend, [
      ...sharedEngineSpecs(),
      engineSpec('Whoami', 'handlers.whoami'),
      engineSpec('ReadOnly', 'handlers.readOnlyTask'),
      engineSpec('Layers', 'handlers.layers', {
        layers: [
          { ref: 'LayerA', contentDir: path.join(fixtures, 'layerA') },
          { ref: 'LayerB', contentDir: path.join(fixtures, 'layerB') },
        ],
      }),
    ]);
  });

  after(async () => {
    await engine.dispose();
    await proxy.stop();
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${backend.sessionId}`] } });
    assert.deepEqual(left, [], 'no container outlives the service');
  });

  declareEngineBehaviours(engine, {
    taskRoot: '/var/task',
    measuredMemory: { aboveMB: 0, source: "container's cgroup" },
    oomPeakIsTheLimit: true,
    extraVariables: ['HOSTNAME', 'HOME'],
  });

  it('uploads the code to /var/task and merges the layers at /opt, with no host path mounted', async () => {
    const whoami = json((await engine.invoke('Whoami')).payload);
    assert.equal(whoami.cwd, '/var/task');
    assert.ok(whoami.task.includes('handlers.js'), JSON.stringify(whoami.task));
    assert.equal(whoami.uid, 993, "Lambda's sandbox user runs the function");
    assert.deepEqual(json((await engine.invoke('Layers')).payload), { shared: 'layerB', onlyA: 'layerA', onlyB: 'layerB', opt: ['onlyA', 'onlyB', 'shared'] });
    for (const name of ['Whoami', 'Layers']) {
      const inspected = await containerOf(name).inspect();
      assert.deepEqual(inspected.Mounts, [], `${name} has no mounts`);
      assert.deepEqual(inspected.HostConfig.Binds ?? [], []);
    }
    assert.deepEqual(proxy.refused, [], 'the backend never asked for a bind mount');
  });

  it('keeps the uploaded code out of the function\'s reach', async () => {
    assert.deepEqual(json((await engine.invoke('ReadOnly')).payload), { wrote: false, code: 'EACCES' });
  });

  it('stands in for a remote engine: a bind mount through it is refused with a clear message', async () => {
    const { default: DockerodeClass } = await import('dockerode');
    const port = Number(new URL(proxy.address).port);
    const remote = new DockerodeClass({ protocol: 'http', host: '127.0.0.1', port });
    await assert.rejects(
      remote.createContainer({ Image: `lambda-workbench/runtime:${NODE_RUNTIME}`, Labels: { [LABEL_FUNCTION]: 'refused' }, HostConfig: { Binds: ['/etc:/host-etc:ro'] } }),
      (error: Error) => /bind mounts are refused: this engine runs on another machine and has none of the client's paths \(\/etc:\/host-etc:ro\)/.test(error.message),
    );
    assert.deepEqual(proxy.refused, ['/etc:/host-etc:ro']);
    proxy.refused.length = 0;
  });
});
