// The engine end to end on the container backend: LambdaService, real containers from the local runtime image, real Runtime API servers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerBackend } from '../../src/core/instances/container/containerBackend';
import { LABEL_SESSION } from '../../src/core/instances/container/containerLabels';
import { connectDockerEngine } from '../../src/core/instances/container/dockerEngine';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import type { InvokeRequest } from '../../src/core/service/invocation';
import { LambdaService } from '../../src/core/service/lambdaService';
import { NODE_RUNTIME, containersWithLabel, engineSkipReason, fixtures, imagesFor, json, nodeSpec, testImage } from './containerHarness';

describe('engine on the container backend', { skip: engineSkipReason() }, () => {
  let stateDir: string;
  let backend: ContainerBackend;
  let service: LambdaService;
  const logs: LogRecord[] = [];

  const invoke = (functionName: string, event: unknown = {}, extra: Partial<InvokeRequest> = {}) =>
    service.invoke({ functionName, payload: Buffer.from(JSON.stringify(event)), ...extra });
  const linesOf = (requestId: string) => logs.filter((l) => l.requestId === requestId).map((l) => l.text);
  const containerIdOf = (functionName: string) =>
    service.listInstances().find((i) => i.functionName === functionName)?.displayId.replace('container ', '');

  before(async () => {
    await testImage(NODE_RUNTIME);
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-container-engine-'));
    const registry = FunctionRegistry.fromSpecs([
      nodeSpec('Echo', 'handlers.echo'),
      nodeSpec('Callback', 'handlers.callback'),
      nodeSpec('Esm', 'esm.handler'),
      nodeSpec('Env', 'handlers.env', { memorySizeMB: 256, environment: { CUSTOM: 'yes' } }),
      nodeSpec('Tmp', 'handlers.writeTmp', { timeoutSeconds: 1 }),
      nodeSpec('Crash', 'handlers.crash'),
      nodeSpec('ExitZero', 'handlers.exitZero'),
      nodeSpec('Hog', 'handlers.hog', { memorySizeMB: 128, timeoutSeconds: 30 }),
      nodeSpec('Fail', 'handlers.fail'),
      nodeSpec('Lines', 'handlers.manyLines'),
      nodeSpec('Idle', 'handlers.echo'),
      nodeSpec('InitFail', 'handlers.handler', { codeDir: path.join(fixtures, 'initfail') }),
    ]);
    backend = new ContainerBackend({ images: imagesFor(NODE_RUNTIME) });
    service = new LambdaService(registry, {
      backend,
      stateDir,
      logSink: { write: (r) => logs.push(r) },
      idleFreezeMs: 300,
    });
  });

  after(async () => {
    await service.dispose();
    await backend.dispose();
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), [], 'no container outlives the service');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs async, callback and ES module handlers, reuses the warm container, and runs init once', async () => {
    const first = await invoke('Echo', { n: 1 });
    assert.equal(first.statusCode, 200);
    assert.equal(first.functionError, undefined, first.payload.toString());
    assert.deepEqual(json(first.payload).event, { n: 1 });
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0);
    const second = await invoke('Echo', { n: 2 });
    assert.equal(json(second.payload).invocations, 2);
    assert.equal(json(second.payload).initCount, 1);
    assert.equal(second.initDurationMs, undefined, 'Init Duration only on the first REPORT');
    assert.equal(service.listInstances().filter((i) => i.functionName === 'Echo').length, 1);
    assert.deepEqual(json((await invoke('Callback', { c: 1 })).payload), { style: 'callback', event: { c: 1 } });
    assert.deepEqual(json((await invoke('Esm', { e: 1 })).payload), { style: 'esm', event: { e: 1 } });
  });

  it('writes START, application lines, END and REPORT in the CloudWatch format, memory measured from the container', async () => {
    const result = await invoke('Echo', { hello: 'world' });
    const lines = linesOf(result.requestId);
    assert.equal(lines[0], `START RequestId: ${result.requestId} Version: $LATEST`);
    assert.match(lines[1] as string, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${result.requestId}\\tINFO\\techo {"hello":"world"}$`));
    assert.equal(lines[2], `END RequestId: ${result.requestId}`);
    assert.match(
      lines[3] as string,
      new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t$`),
    );
    const maxMemory = Number(/Max Memory Used: (\d+) MB/.exec(lines[3] as string)?.[1]);
    assert.ok(maxMemory > 0 && maxMemory < 128, `measured by the container's cgroup (${maxMemory} MB)`);
  });

  it('streams every line the handler wrote before END, including a last line without newline', async () => {
    const result = await invoke('Lines', { n: 200 });
    const lines = linesOf(result.requestId);
    assert.equal(json(result.payload), 'done');
    const end = lines.findIndex((l) => l.startsWith('END '));
    assert.equal(lines.filter((l) => /\tINFO\tline \d+$/.test(l)).length, 200);
    assert.ok(lines.slice(0, end).includes('no newline at the end'), lines.slice(-5).join('\n'));
    assert.ok(lines.every((l) => !l.includes('LWB-FLUSH')), 'flush markers are not shown');
  });

  it('gives the handler the Lambda environment with container paths', async () => {
    const env = json((await invoke('Env')).payload);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'Env');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
    assert.equal(env._HANDLER, 'handlers.env');
    assert.equal(env.LAMBDA_TASK_ROOT, '/var/task');
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.CUSTOM, 'yes');
    const { docker } = await connectDockerEngine();
    const { HostConfig } = await docker.getContainer(containerIdOf('Env') as string).inspect();
    assert.equal(HostConfig.Memory, 256 * 1024 * 1024, 'MemorySize is the container memory limit');
  });

  it('times out with Sandbox.Timedout, replaces the container and keeps /tmp', async () => {
    const written = json((await invoke('Tmp', { write: 'kept' })).payload);
    assert.equal(written.content, 'kept');
    const before = containerIdOf('Tmp');
    const timedOut = await invoke('Tmp', { sleepMs: 5000 });
    assert.equal(timedOut.functionError, 'Unhandled');
    assert.deepEqual(json(timedOut.payload), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    });
    const afterReset = json((await invoke('Tmp', {})).payload);
    assert.equal(afterReset.invocations, 1, 'module state is reset after a timeout');
    assert.equal(afterReset.content, 'kept', '/tmp survives the reset');
    assert.notEqual(containerIdOf('Tmp'), before, 'a new container replaced the timed-out one');
  });

  it('reports crashes as Runtime.ExitError', async () => {
    const crash = await invoke('Crash');
    assert.deepEqual(json(crash.payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${crash.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const zero = await invoke('ExitZero');
    assert.deepEqual(json(zero.payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${zero.requestId} Error: Runtime exited without providing a reason`,
    });
  });

  it('reports the container OOM kill as Runtime.OutOfMemory', async () => {
    const hog = await invoke('Hog');
    assert.equal(hog.functionError, 'Unhandled');
    assert.deepEqual(json(hog.payload), {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${hog.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(linesOf(hog.requestId).at(-1) as string, /Status: error\tError Type: Runtime\.OutOfMemory\t$/);
    assert.equal(hog.maxMemoryUsedMB, 128, 'the container reached its limit');
  });

  it('returns function errors in the Node error shape', async () => {
    const fail = await invoke('Fail');
    assert.equal(fail.functionError, 'Unhandled');
    const body = json(fail.payload);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'bad input');
    assert.ok(Array.isArray(body.trace) && body.trace[0].startsWith('TypeError: bad input'));
  });

  it('retries a failed init inside the first invoke', async () => {
    const result = await invoke('InitFail');
    assert.equal(result.functionError, 'Unhandled');
    assert.equal(json(result.payload).errorMessage, 'init exploded');
    const reports = logs.filter((l) => l.functionName === 'InitFail' && l.text.startsWith('INIT_REPORT'));
    assert.ok(reports.length >= 1, 'INIT_REPORT logged');
  });

  it('returns the Tail log result with START, the lines, END and REPORT', async () => {
    const result = await invoke('Echo', { tail: true }, { logType: 'Tail' });
    const text = Buffer.from(result.logResult ?? '', 'base64').toString('utf8');
    assert.match(text, /\tINFO\techo \{"tail":true\}\n/);
    assert.match(text, new RegExp(`END RequestId: ${result.requestId}\\nREPORT RequestId: ${result.requestId}\\t`));
  });

  it('pauses an idle container and unpauses it for the next invocation', async () => {
    await invoke('Idle', { n: 1 });
    const { docker } = await connectDockerEngine();
    const container = docker.getContainer(containerIdOf('Idle') as string);
    for (let attempt = 0; attempt < 50 && !(await container.inspect()).State.Paused; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal((await container.inspect()).State.Paused, true, 'paused after idleFreezeMs');
    assert.equal(service.listInstances().find((i) => i.functionName === 'Idle')?.state, 'frozen');
    const next = await invoke('Idle', { n: 2 });
    assert.equal(json(next.payload).invocations, 2, 'the same warm container answered');
  });

  it('removes every container on stopInstances', async () => {
    await invoke('Echo');
    assert.ok((await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`)).length > 0);
    await service.stopInstances();
    assert.equal(service.listInstances().length, 0);
    assert.deepEqual(await containersWithLabel(`${LABEL_SESSION}=${backend.sessionId}`), []);
  });
});
