// Output of our runtime in containers, carried by host FIFOs: every line in order and before END, no hang when the container ends.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tarStream } from '../../src/core/images/tarWriter';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import { OUTPUT_PIPES_TARGET } from '../../src/core/instances/container/outputPipes';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { LambdaService } from '../../src/core/service/lambdaService';
import { NODE_RUNTIME, containersWithLabel, engineSkipReason, fixtures, imagesFor, json, launchDirect, nodeSpec, testImage } from './containerHarness';

/** An image of ours (same repository, same labels) whose bootstrap fails before it hands its output to the pipes. */
const BROKEN_IMAGE = 'lambda-workbench/runtime:test-broken-bootstrap';
const LINES = 500;

describe('container output pipes', { skip: engineSkipReason() }, () => {
  let stateDir: string;
  let backend: ContainerBackend;
  let service: LambdaService;
  const logs: LogRecord[] = [];

  before(async () => {
    await testImage(NODE_RUNTIME);
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-output-pipes-'));
    const registry = FunctionRegistry.fromSpecs([nodeSpec('Burst', 'handlers.burst', { codeDir: path.join(fixtures, 'output') })]);
    backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME) });
    service = new LambdaService(registry, { backend, stateDir, logSink: { write: (record) => logs.push(record) } });
  });

  after(async () => {
    await service.dispose();
    await backend.dispose();
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), [], 'no container outlives the service');
    rmSync(stateDir, { recursive: true, force: true });
    const { docker } = await connectDockerEngine();
    await docker.getImage(BROKEN_IMAGE).remove({ force: true }).catch(() => undefined);
  });

  it('delivers 500 quick lines per stream in order, and a last line without newline, all before END, invocation after invocation', async () => {
    for (const tag of ['cold', 'warm1', 'warm2']) {
      const result = await service.invoke({ functionName: 'Burst', payload: Buffer.from(JSON.stringify({ n: LINES, tag })) });
      assert.deepEqual(json(result.payload), { tag, pipesEnv: null }, 'the pipes variable is not left for the handler');
      const texts = logs.filter((record) => record.requestId === result.requestId).map((record) => record.text);
      const end = texts.indexOf(`END RequestId: ${result.requestId}`);
      assert.ok(end > 0, 'END was logged');
      const beforeEnd = texts.slice(0, end);
      const numbered = (pattern: RegExp) => beforeEnd.flatMap((text) => pattern.exec(text)?.slice(1, 2) ?? []).map(Number);
      assert.deepEqual(numbered(new RegExp(`\\tINFO\\tout ${tag} (\\d+)$`)), [...Array(LINES).keys()], `every stdout line before END, in order (${tag})`);
      const everyTenth = [...Array(LINES / 10).keys()].map((i) => i * 10);
      assert.deepEqual(numbered(new RegExp(`^err ${tag} (\\d+)$`)), everyTenth, `every stderr line before END, in order (${tag})`);
      assert.ok(beforeEnd.includes(`tail ${tag} without newline`), `the unterminated line came before END (${tag})`);
      assert.equal(texts.slice(end).filter((text) => text.includes(tag)).length, 0, 'nothing of the handler after END');
      assert.ok(texts.every((text) => !text.includes('LWB-FLUSH')), 'flush markers are not shown');
    }
  });

  it('mounts the pipes into containers of our image and removes their directory with the container', async () => {
    const instance = await launchDirect(backend, nodeSpec('Mounted', 'handlers.echo'));
    const { docker } = await connectDockerEngine();
    const { Mounts } = await docker.getContainer(instance.handle.displayId.replace('container ', '')).inspect();
    const pipes = Mounts.find((mount) => mount.Destination === OUTPUT_PIPES_TARGET);
    assert.ok(pipes, 'the pipes directory is mounted');
    assert.equal(existsSync(path.join(pipes.Source, 'stdout')), true);
    assert.equal(json((await instance.invoke({ n: 1 })).payload).event.n, 1);
    await instance.close();
    assert.equal(existsSync(pipes.Source), false, 'the pipes directory is gone with the container');
  });

  it("reports what the bootstrap printed before handing over, and the container's end, without hanging", async () => {
    const { docker } = await connectDockerEngine();
    const dockerfile = [
      `FROM lambda-workbench/runtime:${NODE_RUNTIME}`,
      'COPY bootstrap /var/runtime/bootstrap',
      'ENTRYPOINT ["/var/runtime/bootstrap"]',
      '',
    ].join('\n');
    const bootstrap = '#!/bin/sh\necho "bootstrap: cannot start the runtime" >&2\nexit 7\n';
    const build = await docker.buildImage(
      tarStream([
        { type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile) },
        { type: 'file', path: 'bootstrap', mode: 0o755, content: Buffer.from(bootstrap) },
      ]),
      { t: BROKEN_IMAGE },
    );
    await new Promise((resolve, reject) => docker.modem.followProgress(build, (error) => (error ? reject(error) : resolve(undefined))));
    const broken = new ContainerBackend({ images: { [NODE_RUNTIME]: BROKEN_IMAGE } });
    try {
      const instance = await launchDirect(broken, nodeSpec('Broken', 'handlers.echo'));
      assert.deepEqual(await instance.handle.exited, { code: 7, signal: null, outOfMemory: false });
      assert.deepEqual(instance.output, [{ stream: 'stderr', line: 'bootstrap: cannot start the runtime' }]);
      await instance.close();
    } finally {
      await broken.dispose();
    }
  });
});
