// The container backend driven directly (no service): a real Docker engine, the locally built runtime image, a real Runtime API server.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freeLoopbackPort } from '../../src/core/common/loopbackPort';
import { tarStream } from '../../src/core/images/tarWriter';
import { CdpClient } from '../adapter/cdpClient';
import { engineFixtures } from '../support/engineBehaviours';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_INSTANCE, LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import {
  NODE_RUNTIME,
  containersWithLabel,
  engineSkipReason,
  fixtures,
  imagesFor,
  json,
  launchDirect,
  nodeSpec,
  testImage,
  waitForOutput,
  type DirectInstance,
} from './containerHarness';

const IMAGE_FUNCTION_TAG = 'lambda-workbench-test/image-function:latest';

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Retries a request until the inspector inside the container listens (Node opens it during startup). */
async function inspectorVersion(port: number): Promise<{ status: number; body: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await httpGet(`http://127.0.0.1:${port}/json/version`);
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function connectionOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('container backend', { skip: engineSkipReason() }, () => {
  let backend: ContainerBackend;
  const open: DirectInstance[] = [];
  const launch = async (...args: Parameters<typeof launchDirect> extends [unknown, ...infer Rest] ? Rest : never) => {
    const instance = await launchDirect(backend, ...args);
    open.push(instance);
    return instance;
  };
  const containerOf = async (instance: DirectInstance) => {
    const { docker } = await connectDockerEngine();
    return docker.getContainer(instance.handle.displayId.replace('container ', ''));
  };

  before(async () => {
    await testImage(NODE_RUNTIME);
    backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME) });
  });

  after(async () => {
    await Promise.all(open.map((instance) => instance.close()));
    await backend.dispose();
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), [], 'dispose leaves no container');
    const { docker } = await connectDockerEngine();
    await docker.getImage(IMAGE_FUNCTION_TAG).remove({ force: true }).catch(() => undefined);
  });

  it('runs a handler in a container, reuses it, and passes its output on line by line', async () => {
    const instance = await launch(nodeSpec('Echo', 'handlers.echo'));
    assert.match(instance.handle.displayId, /^container [0-9a-f]{12}$/);
    assert.equal(instance.handle.writesFlushMarkers, true);
    const first = await instance.invoke({ n: 1 });
    assert.equal(first.kind, 'response');
    assert.deepEqual(json(first.payload).event, { n: 1 });
    const second = await instance.invoke({ n: 2 });
    assert.equal(json(second.payload).invocations, 2, 'warm: module state kept between invocations');
    assert.equal(json(second.payload).initCount, 1);
    assert.ok(await waitForOutput(instance, (l) => /\tundefined\tINFO\tinit ran$/.test(l)), 'init line');
    assert.ok(await waitForOutput(instance, (l) => /\tINFO\techo {"n":2}$/.test(l)), 'handler line');
    // Our Node.js image's runtime client talks over the runtime channel's FIFOs (descriptors 3 and 4), not HTTP.
    assert.ok(instance.handle.channel, 'the backend gives the instance the runtime channel');
    const pid = (await (await containerOf(instance)).inspect()).State.Pid;
    assert.deepEqual([3, 4].map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`)), ['/run/lambda-workbench/channel-in', '/run/lambda-workbench/channel-out']);
  });

  it('runs callback and ES module handlers', async () => {
    const callback = await launch(nodeSpec('Callback', 'handlers.callback'));
    assert.deepEqual(json((await callback.invoke({ a: 1 })).payload), { style: 'callback', event: { a: 1 } });
    const esm = await launch(nodeSpec('Esm', 'esm.handler'));
    assert.deepEqual(json((await esm.invoke({ b: 2 })).payload), { style: 'esm', event: { b: 2 } });
  });

  it('streams lines while the handler still runs, stdout and stderr apart, the last partial line included', async () => {
    let settled = false;
    let tickBeforeResult = false;
    const instance = await launch(nodeSpec('Ticker', 'handlers.ticker'), {
      onOutput: (_stream, line) => {
        if (line.endsWith('tick 0') && !settled) tickBeforeResult = true;
      },
    });
    await instance.invoke({ n: 3, ms: 200 }).finally(() => (settled = true));
    assert.ok(tickBeforeResult, 'the first line arrived before the result');
    const lines = await launch(nodeSpec('Lines', 'handlers.manyLines'));
    assert.equal(json((await lines.invoke({ n: 50, stderr: 'raw stderr line' })).payload), 'done');
    assert.ok(await waitForOutput(lines, (l) => l.includes('no newline at the end')));
    await lines.handle.stop();
    assert.equal(lines.output.filter((o) => o.stream === 'stdout' && /\tINFO\tline \d+$/.test(o.line)).length, 50);
    assert.ok(lines.output.some((o) => o.stream === 'stderr' && o.line === 'raw stderr line'));
    assert.ok(lines.output.some((o) => o.line.includes('no newline at the end')));
  });

  it('mounts the code read-only at /var/task and /tmp from the instance directory, with container paths in the environment', async () => {
    const env = json((await (await launch(nodeSpec('Env', 'handlers.env', { environment: { CUSTOM: 'yes' } }))).invoke({})).payload);
    assert.equal(env.LAMBDA_TASK_ROOT, '/var/task');
    assert.equal(env.LAMBDA_RUNTIME_DIR, '/var/runtime');
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/, 'host networking reaches the Runtime API on loopback');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'Env');
    assert.equal(env.CUSTOM, 'yes');
    assert.equal(env.TZ, ':UTC');
    assert.ok(env.NODE_PATH.split(':').includes('/opt/nodejs/node20/node_modules'));

    const readOnly = await launch(nodeSpec('ReadOnly', 'handlers.readOnlyTask'));
    assert.deepEqual(json((await readOnly.invoke({})).payload), { wrote: false, code: 'EROFS' });

    const tmp = await launch(nodeSpec('Tmp', 'handlers.writeTmp'));
    const written = json((await tmp.invoke({ write: 'from the container' })).payload);
    assert.equal(written.tmp, '/tmp');
    assert.equal(readFileSync(path.join(tmp.request.tmpDir, 'marker.txt'), 'utf8'), 'from the container');
  });

  it('merges layers at /opt in order, later layers winning', async () => {
    const instance = await launch(nodeSpec('Layers', 'handlers.layers'), {
      layerDirs: [path.join(fixtures, 'layerA'), path.join(fixtures, 'layerB')],
    });
    assert.deepEqual(json((await instance.invoke({})).payload), {
      shared: 'layerB',
      onlyA: 'layerA',
      onlyB: 'layerB',
      opt: ['onlyA', 'onlyB', 'shared'],
    });
  });

  it('limits memory to MemorySize and reports the kernel OOM kill as out-of-memory', async () => {
    const instance = await launch(nodeSpec('Hog', 'handlers.hog', { memorySizeMB: 128 }));
    const { HostConfig } = await (await containerOf(instance)).inspect();
    assert.equal(HostConfig.Memory, 128 * 1024 * 1024);
    assert.equal(HostConfig.MemorySwap, 128 * 1024 * 1024);
    void instance.invoke({}).catch(() => undefined);
    const exit = await instance.handle.exited;
    assert.equal(exit.outOfMemory, true);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok((await instance.handle.maxMemoryUsedMB()) >= 100, 'the peak came from the container accounting');
    instance.server.abandon('');
  });

  it('measures Max Memory Used from the container itself', async () => {
    const instance = await launch(nodeSpec('Measured', 'handlers.echo'));
    await instance.invoke({});
    const peak = await instance.handle.maxMemoryUsedMB();
    assert.ok(peak > 0 && peak < 128, `peak ${peak} MB`);
    assert.ok((await instance.handle.currentMemoryMB()) <= peak);
  });

  it('pauses and unpauses the container, and stop removes it even while paused', async () => {
    const instance = await launch(nodeSpec('Paused', 'handlers.echo'));
    await instance.invoke({ n: 1 });
    const container = await containerOf(instance);
    await instance.handle.freeze();
    assert.equal((await container.inspect()).State.Paused, true);
    await instance.handle.thaw();
    assert.equal((await container.inspect()).State.Paused, false);
    assert.equal(json((await instance.invoke({ n: 2 })).payload).invocations, 2);

    await instance.handle.freeze();
    await instance.handle.stop();
    assert.deepEqual(await instance.handle.exited, { code: null, signal: 'SIGKILL', outOfMemory: false });
    assert.deepEqual(await containersWithLabel(`${LABEL_INSTANCE}=${instance.request.instanceId}`), []);
  });

  it('reports a crash with its exit status and removes the container', async () => {
    const instance = await launch(nodeSpec('Crash', 'handlers.crash'));
    void instance.invoke({}).catch(() => undefined);
    assert.deepEqual(await instance.handle.exited, { code: 3, signal: null, outOfMemory: false });
    assert.deepEqual(await containersWithLabel(`${LABEL_INSTANCE}=${instance.request.instanceId}`), []);
  });

  it('opens the Node inspector on 127.0.0.1 only', async () => {
    const port = await freeLoopbackPort();
    const instance = await launch(nodeSpec('Debugged', 'handlers.echo'), { debug: { port, breakOnStart: false } });
    const version = await inspectorVersion(port);
    assert.equal(version.status, 200);
    assert.match(version.body, /"Protocol-Version"/);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) assert.equal(await connectionOutcome(external.address, port), 'ECONNREFUSED', `not reachable on ${external.address}`);
    // Debug instances of the local image wait for a debugger before running init (--inspect-wait), as processes do.
    const debuggerClient = await CdpClient.connect(port);
    await debuggerClient.send('Runtime.runIfWaitingForDebugger');
    assert.equal(json((await instance.invoke({ d: 1 })).payload).event.d, 1);
    await debuggerClient.close();
  });

  it('runs a function packaged as an image from its own image and command', async () => {
    const { docker } = await connectDockerEngine();
    const dockerfile = `FROM lambda-workbench/runtime:${NODE_RUNTIME}\nCOPY handlers.js /var/task/handlers.js\n`;
    const context = tarStream([
      { type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile) },
      { type: 'file', path: 'handlers.js', mode: 0o644, source: path.join(engineFixtures, 'node', 'handlers.js') },
    ]);
    const build = await docker.buildImage(context, { t: IMAGE_FUNCTION_TAG });
    await new Promise((resolve, reject) => docker.modem.followProgress(build, (error) => (error ? reject(error) : resolve(undefined))));
    const spec = nodeSpec('ImageFn', 'handlers.echo', {
      packageType: 'Image',
      imageUri: IMAGE_FUNCTION_TAG,
      imageConfig: { command: ['handlers.echo'] },
      codeDir: path.join(fixtures, 'python'),
    });
    const instance = await launch(spec);
    assert.deepEqual(json((await instance.invoke({ img: true })).payload).event, { img: true });
    assert.equal(existsSync(path.join(fixtures, 'python', 'handlers.js')), false, 'the code came from the image, not a mount');
  });
});
