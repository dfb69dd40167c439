// The offline runtime image builder: images made from the host's interpreters and our runtime clients, no registry involved.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { buildRuntimeImage } from '../../src/core/images/runtimeImageBuilder';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { connectDockerEngine, type DockerEngine } from '../../src/core/instances/container/dockerEngine';
import { functionFromHandler } from '../../src/core/template';
import { NODE_RUNTIME, engineSkipReason, fixtures, hostPythonRuntime, imagesFor, json, launchDirect, waitForOutput } from './containerHarness';

const REPO_MODULES = path.resolve(__dirname, '../../../node_modules');

describe('local runtime images', { skip: engineSkipReason() }, () => {
  let engine: DockerEngine;
  before(async () => {
    engine = await connectDockerEngine();
  });

  it('builds lambda-workbench/runtime:<runtime> once and reuses it while its inputs are unchanged', async () => {
    const first = await buildRuntimeImage(engine.docker, NODE_RUNTIME);
    assert.equal(first.image, `lambda-workbench/runtime:${NODE_RUNTIME}`);
    const again = await buildRuntimeImage(engine.docker, NODE_RUNTIME);
    assert.deepEqual(again, { image: first.image, built: false });
    const config = (await engine.docker.getImage(first.image).inspect()).Config;
    assert.deepEqual(config.Entrypoint, ['/var/runtime/bootstrap']);
    assert.equal(config.Labels?.['lambda-workbench.runtime'], NODE_RUNTIME);
  });

  it('refuses runtimes the host cannot provide, with a way out', async () => {
    await assert.rejects(buildRuntimeImage(engine.docker, 'nodejs18.x'), (e: unknown) => {
      assert.ok(isWorkbenchError(e, 'RUNTIME_UNSUPPORTED'));
      assert.match(e.describe(), new RegExp(`host's Node\\.js is ${process.versions.node.replace(/\./g, '\\.')}, but nodejs18\\.x needs Node\\.js 18`));
      assert.match(e.describe(), /official AWS base image/);
      return true;
    });
    await assert.rejects(buildRuntimeImage(engine.docker, 'java21'), (e: unknown) => isWorkbenchError(e, 'RUNTIME_UNSUPPORTED'));
  });

  it('gives a Node.js function the AWS SDK it imports without bundling, to require and to ES module imports', async () => {
    await buildRuntimeImage(engine.docker, NODE_RUNTIME);
    const backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME) });
    try {
      for (const handler of ['required.handler', 'imported.handler']) {
        const spec = functionFromHandler({ handler, runtime: NODE_RUNTIME, codeDir: path.join(fixtures, 'sdk') });
        // The SDK as AwsSdkModules finds it (here the repository's own @aws-sdk packages), mounted where Lambda's images keep it.
        const instance = await launchDirect(backend, spec, { sdkModulesDir: REPO_MODULES });
        try {
          const outcome = await instance.invoke({});
          assert.equal(outcome.kind, 'response', `${handler}: ${outcome.payload.toString()} ${JSON.stringify(instance.output)}`);
          assert.deepEqual(json(outcome.payload), { client: 'SQSClient' });
        } finally {
          await instance.close();
        }
      }
    } finally {
      await backend.dispose();
    }
  });

  describe('Python', { skip: hostPythonRuntime() ? false : 'python3 is not installed on this machine' }, () => {
    const runtime = hostPythonRuntime() ?? 'python3';
    const backend = new ContainerBackend({ images: imagesFor(runtime) });
    after(() => backend.dispose());

    it('runs a Python handler in an image built from the host Python', async () => {
      await buildRuntimeImage(engine.docker, runtime);
      const spec = functionFromHandler({ handler: 'handlers.echo', runtime, codeDir: path.join(fixtures, 'python') });
      const instance = await launchDirect(backend, spec);
      try {
        const outcome = await instance.invoke({ x: 1 });
        assert.equal(outcome.kind, 'response', outcome.payload.toString());
        const body = json(outcome.payload);
        assert.deepEqual(body.event, { x: 1 });
        assert.equal(body.taskRoot, '/var/task');
        assert.ok(await waitForOutput(instance, (line) => line.includes("python echo {'x': 1}")), JSON.stringify(instance.output));
        // Our Python image's runtime client talks over the runtime channel's FIFOs (descriptors 3 and 4), not HTTP.
        assert.ok(instance.handle.channel, 'the backend gives the instance the runtime channel');
        const id = instance.handle.displayId.replace('container ', '');
        const pid = (await engine.docker.getContainer(id).inspect()).State.Pid;
        assert.deepEqual([3, 4].map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`)), ['/run/lambda-workbench/channel-in', '/run/lambda-workbench/channel-out']);
        assert.equal(json((await instance.invoke({ x: 2 })).payload).event.x, 2, 'a second invocation on the channel');
      } finally {
        await instance.close();
      }
    });

    // Lambda's Python runtimes provide boto3; the image has the host Python's (python3-boto3 on Debian, scripts/setup.sh).
    const hostBoto3 = spawnSync('python3', ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' });
    it('imports boto3 the code does not bundle, as the runtime provides it', { skip: hostBoto3.status === 0 ? false : 'the host Python has no boto3' }, async () => {
      await buildRuntimeImage(engine.docker, runtime);
      const spec = functionFromHandler({ handler: 'handlers.sdk', runtime, codeDir: path.join(fixtures, 'python') });
      const instance = await launchDirect(backend, spec);
      try {
        const outcome = await instance.invoke({});
        assert.equal(outcome.kind, 'response', outcome.payload.toString());
        assert.deepEqual(json(outcome.payload), { version: hostBoto3.stdout.trim() });
      } finally {
        await instance.close();
      }
    });
  });

  // An image of a Python with no boto3 of its own (a pyenv one here) carries a host Python's, as every Lambda Python runtime has one.
  const bare = pythonWithoutBoto3();
  const debianBoto3 = spawnSync('/usr/bin/python3', ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' });
  const bareSkip = !bare ? 'no Python without boto3 of another version than /usr/bin/python3\'s here (pyenv)' : debianBoto3.status !== 0 ? '/usr/bin/python3 has no boto3 (scripts/setup.sh)' : false;
  describe('Python without boto3 of its own', { skip: bareSkip }, () => {
    const runtime = bare?.runtime ?? 'python3';
    const backend = new ContainerBackend({ images: imagesFor(runtime) });
    after(() => backend.dispose());

    it("imports the host's boto3 (Debian's), which the image carries with the folder it names to the runtime client", async () => {
      await buildRuntimeImage(engine.docker, runtime, { pythonCommand: bare?.python });
      const spec = functionFromHandler({ handler: 'handlers.sdk', runtime, codeDir: path.join(fixtures, 'python') });
      const instance = await launchDirect(backend, spec);
      try {
        const outcome = await instance.invoke({});
        assert.equal(outcome.kind, 'response', `${outcome.payload.toString()} ${JSON.stringify(instance.output)}`);
        assert.deepEqual(json(outcome.payload), { version: debianBoto3.stdout.trim() });
      } finally {
        await instance.close();
      }
    });
  });
});

/** A pyenv Python 3.9+ of another minor version than /usr/bin/python3's, without boto3, and its runtime identifier. */
function pythonWithoutBoto3(): { python: string; runtime: string } | undefined {
  const versions = path.join(process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv'), 'versions');
  const system = spawnSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout.trim();
  const names = existsSync(versions) ? readdirSync(versions) : [];
  for (const name of names) {
    const minor = /^3\.(\d+)\.\d+$/.exec(name);
    const python = path.join(versions, name, 'bin', 'python3');
    if (!minor || Number(minor[1]) < 9 || name.startsWith(`${system}.`) || !existsSync(python)) continue;
    if (spawnSync(python, ['-c', 'import boto3']).status !== 0) return { python, runtime: `python3.${minor[1]}` };
  }
  return undefined;
}
