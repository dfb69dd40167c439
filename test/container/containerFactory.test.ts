// The core backend factory on a real Docker engine: `auto` runs processes and containers side by side, overrides and engine address honoured.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBackend } from '../../src/core/instances/backendFactory';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { ServiceError } from '../../src/core/service/invocation';
import { EngineUnderTest, engineFixtures } from '../support/engineBehaviours';
import { NODE_RUNTIME, engineSkipReason, json, nodeSpec, testImage } from './containerHarness';

/** This run's own image tag, removed at the end. */
const IMAGE_TAG = `lambda-workbench-test/factory-image:${randomUUID().slice(0, 8)}`;

/** Builds an image function from the local runtime image with the engine fixtures' handlers.js copied in. */
async function buildImageFunction(baseImage: string): Promise<void> {
  const { docker } = await connectDockerEngine();
  const context = mkdtempSync(path.join(tmpdir(), 'lwb-factory-image-'));
  try {
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${baseImage}\nCOPY handlers.js /var/task/handlers.js\n`);
    copyFileSync(path.join(engineFixtures, 'node', 'handlers.js'), path.join(context, 'handlers.js'));
    const build = await docker.buildImage({ context, src: ['Dockerfile', 'handlers.js'] }, { t: IMAGE_TAG });
    await new Promise((resolve, reject) => docker.modem.followProgress(build, (error) => (error ? reject(error) : resolve(undefined))));
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** The image a running container was created from, as the engine reports it. */
async function containerImage(displayId: string): Promise<string> {
  const { docker } = await connectDockerEngine();
  return (await docker.getContainer(displayId.replace(/^container /, '')).inspect()).Config.Image;
}

describe('backend factory on a Docker engine', { skip: engineSkipReason() }, () => {
  let localImage: string;

  before(async () => {
    localImage = await testImage(NODE_RUNTIME);
    await buildImageFunction(localImage);
  });

  after(async () => {
    const { docker } = await connectDockerEngine();
    await docker.getImage(IMAGE_TAG).remove().catch(() => undefined);
  });

  describe('auto', () => {
    const engine = new EngineUnderTest();
    before(() =>
      engine.start(createBackend({ choice: 'auto' }), [
        nodeSpec('ZipFn', 'handlers.echo'),
        nodeSpec('ImageFn', 'handlers.echo', { packageType: 'Image', imageUri: IMAGE_TAG, imageConfig: { command: ['handlers.echo'] } }),
      ]),
    );
    after(() => engine.dispose());

    it('runs a Zip function as a process and an image function in a container, in one service', async () => {
      const [zip, image] = await Promise.all([engine.invoke('ZipFn', { via: 'zip' }), engine.invoke('ImageFn', { via: 'image' })]);
      assert.equal(json(zip.payload).event.via, 'zip');
      assert.equal(json(image.payload).event.via, 'image');
      const byName = new Map(engine.service.listInstances().map((info) => [info.functionName, info]));
      assert.equal(byName.get('ZipFn')?.backend, 'process');
      assert.match(byName.get('ZipFn')?.displayId ?? '', /^pid \d+$/);
      assert.equal(byName.get('ImageFn')?.backend, 'container');
      assert.equal(await containerImage(byName.get('ImageFn')?.displayId ?? ''), IMAGE_TAG);
    });
  });

  describe('container with image overrides and an engine address', () => {
    const engine = new EngineUnderTest();
    before(() =>
      engine.start(
        // No official or local image of nodejs22.x exists here (and no registry answers): only the override can run it.
        createBackend({ choice: 'container', imageOverrides: { 'nodejs22.x': localImage }, dockerHost: 'unix:///var/run/docker.sock' }),
        [nodeSpec('Overridden', 'handlers.echo', { runtime: 'nodejs22.x' })],
      ),
    );
    after(() => engine.dispose());

    it('runs the function in the override image on the named engine', async () => {
      assert.equal(json((await engine.invoke('Overridden', { o: 1 })).payload).event.o, 1);
      const [info] = engine.service.listInstances();
      assert.equal(info?.backend, 'container');
      assert.equal(await containerImage(info?.displayId ?? ''), localImage);
    });
  });

  it('reports an engine address that does not answer, naming it', async () => {
    const missing = path.join(tmpdir(), `lwb-no-engine-${randomUUID().slice(0, 8)}.sock`);
    const backend = createBackend({ choice: 'container', dockerHost: `unix://${missing}`, container: { reaper: false } });
    const engine = new EngineUnderTest();
    engine.start(backend, [nodeSpec('Nowhere', 'handlers.echo')]);
    try {
      // A function that cannot start for want of an engine is a Failed function (409, not retried), not an internal error.
      await assert.rejects(engine.invoke('Nowhere', {}), (error: unknown) => {
        assert.ok(error instanceof ServiceError, String(error));
        assert.equal(error.httpStatus, 409);
        assert.equal(error.extra.StateReasonCode, 'InvalidImage');
        assert.match(error.message, new RegExp(`unix://${missing.replace(/[.]/g, '\\.')}`));
        return true;
      });
    } finally {
      await engine.dispose();
    }
  });
});
