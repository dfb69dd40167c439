// The engine end to end on the container backend: LambdaService, real containers from the local runtime image, real Runtime API servers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { EngineUnderTest, declareEngineBehaviours, engineSpec, json, sharedEngineSpecs } from '../support/engineBehaviours';
import { NODE_RUNTIME, containersWithLabel, engineSkipReason, imagesFor, testImage } from './containerHarness';

describe('engine on the container backend', { skip: engineSkipReason() }, () => {
  const engine = new EngineUnderTest();
  let backend: ContainerBackend;
  const containerIdOf = (functionName: string) => engine.displayIdOf(functionName)?.replace('container ', '');

  before(async () => {
    await testImage(NODE_RUNTIME);
    backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME) });
    engine.start(backend, [...sharedEngineSpecs(), engineSpec('Idle', 'handlers.echo')], { idleFreezeMs: 300 });
  });

  after(async () => {
    await engine.dispose();
    await backend.dispose();
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), [], 'no container outlives the service');
  });

  declareEngineBehaviours(engine, {
    taskRoot: '/var/task',
    measuredMemory: { aboveMB: 0, source: "container's cgroup" },
    oomPeakIsTheLimit: true,
    // Documented in README (Differences from Lambda): Docker gives every container HOSTNAME and HOME.
    extraVariables: ['HOSTNAME', 'HOME'],
  });

  it('makes MemorySize the container memory limit', async () => {
    await engine.invoke('Env');
    const { docker } = await connectDockerEngine();
    const { HostConfig } = await docker.getContainer(containerIdOf('Env') as string).inspect();
    assert.equal(HostConfig.Memory, 256 * 1024 * 1024, 'MemorySize is the container memory limit');
  });

  it('pauses an idle container and unpauses it for the next invocation', async () => {
    await engine.invoke('Idle', { n: 1 });
    const { docker } = await connectDockerEngine();
    const container = docker.getContainer(containerIdOf('Idle') as string);
    for (let attempt = 0; attempt < 50 && !(await container.inspect()).State.Paused; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal((await container.inspect()).State.Paused, true, 'paused after idleFreezeMs');
    assert.equal(engine.service.listInstances().find((i) => i.functionName === 'Idle')?.state, 'frozen');
    const next = await engine.invoke('Idle', { n: 2 });
    assert.equal(json(next.payload).invocations, 2, 'the same warm container answered');
  });

  it('removes every container on stopInstances', async () => {
    await engine.invoke('Echo');
    assert.ok((await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`)).length > 0);
    await engine.service.stopInstances();
    assert.equal(engine.service.listInstances().length, 0);
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), []);
  });
});
