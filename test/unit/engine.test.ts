// The engine end to end on the process backend: real runtime processes, real Runtime API servers on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import { ServiceError, type InvokeRequest } from '../../src/core/service/invocation';
import { LambdaService } from '../../src/core/service/lambdaService';
import { functionFromHandler } from '../../src/core/template';
import type { FunctionSpec } from '../../src/core/template/functionSpec';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/engine');

function spec(name: string, handler: string, overrides: Partial<FunctionSpec> = {}, dir = 'node', runtime = 'nodejs20.x'): FunctionSpec {
  const base = functionFromHandler({ handler, runtime, codeDir: path.join(fixtures, dir) });
  return { ...base, logicalId: name, functionName: name, ...overrides };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('engine on the process backend', () => {
  let stateDir: string;
  let service: LambdaService;
  const logs: LogRecord[] = [];

  const invoke = (functionName: string, event: unknown = {}, extra: Partial<InvokeRequest> = {}) =>
    service.invoke({ functionName, payload: Buffer.from(JSON.stringify(event)), ...extra });
  const json = (payload: Buffer) => JSON.parse(payload.toString('utf8'));
  const linesOf = (requestId: string) => logs.filter((l) => l.requestId === requestId).map((l) => l.text);

  before(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-engine-'));
    const registry = FunctionRegistry.fromSpecs([
      spec('Echo', 'handlers.echo', { environment: { GREETING: 'hi', AWS_REGION: 'eu-west-9' } }),
      spec('Env', 'handlers.env', { memorySizeMB: 256, environment: { CUSTOM: 'yes' } }),
      spec('Tmp', 'handlers.writeTmp', { timeoutSeconds: 1 }),
      spec('Crash', 'handlers.crash'),
      spec('ExitZero', 'handlers.exitZero'),
      spec('Hog', 'handlers.hog', { memorySizeMB: 128, timeoutSeconds: 30 }),
      spec('Fail', 'handlers.fail'),
      spec('Lines', 'handlers.manyLines'),
      spec('InitFail', 'handlers.handler', {}, 'initfail'),
      spec('Reserved', 'handlers.sleep', { reservedConcurrency: 1, timeoutSeconds: 5 }),
      spec('Zero', 'handlers.echo', { reservedConcurrency: 0 }),
      spec('Aliased', 'handlers.echo', { autoPublishAlias: 'live' }),
      spec('Provisioned', 'handlers.env', { autoPublishAlias: 'live', provisionedConcurrency: 2 }),
      spec('Python', 'handlers.echo', {}, 'python', 'python3.11'),
      spec('Custom', 'ignored.handler', {}, 'custom', 'provided.al2023'),
    ]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir, logSink: { write: (r) => logs.push(r) } });
  });

  after(async () => {
    await service.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs a handler, reuses the warm instance, and runs init once', async () => {
    const first = await invoke('Echo', { n: 1 });
    assert.equal(first.statusCode, 200);
    assert.equal(first.functionError, undefined);
    const body1 = json(first.payload);
    assert.deepEqual(body1.event, { n: 1 });
    assert.equal(body1.invocations, 1);
    assert.equal(body1.requestId, first.requestId);
    assert.ok(body1.remaining > 0 && body1.remaining <= 3000);
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0);

    const second = await invoke('Echo', { n: 2 });
    const body2 = json(second.payload);
    assert.equal(body2.invocations, 2, 'module state survives between warm invocations');
    assert.equal(body2.initCount, 1);
    assert.equal(second.initDurationMs, undefined, 'Init Duration only on the first REPORT');
    assert.equal(service.listInstances().filter((i) => i.functionName === 'Echo').length, 1);
  });

  it('writes START, application lines, END and REPORT in order with the CloudWatch format', async () => {
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
    assert.ok(maxMemory > 10 && maxMemory < 128, `memory is measured from the process (${maxMemory} MB)`);
  });

  it('logs init lines with requestId undefined, INIT_START before the first START, and Init Duration after Max Memory Used', async () => {
    const result = await invoke('Lines', { n: 1 });
    const all = logs.filter((l) => l.functionName === 'Lines').map((l) => l.text);
    const initStart = all.findIndex((l) => l.startsWith('INIT_START Runtime Version: nodejs:20'));
    const initLine = all.findIndex((l) => /\tundefined\tINFO\tinit ran$/.test(l));
    const start = all.findIndex((l) => l.startsWith('START RequestId'));
    assert.ok(initStart !== -1 && initStart < initLine && initLine < start, all.join('\n'));
    const report = linesOf(result.requestId).at(-1) as string;
    assert.match(report, /\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/);
  });

  it('streams every line the handler wrote before END, including a last line without newline', async () => {
    const result = await invoke('Lines', { n: 200 });
    const lines = linesOf(result.requestId);
    assert.equal(json(result.payload), 'done');
    const end = lines.findIndex((l) => l.startsWith('END '));
    assert.equal(lines.filter((l) => /\tINFO\tline \d+$/.test(l)).length, 200);
    assert.equal(lines[end - 1], 'no newline at the end');
    assert.ok(lines.every((l) => !l.includes('LWB-FLUSH')), 'flush markers are not shown');
  });

  it('gives the handler the Lambda environment, with platform values winning over the configuration', async () => {
    const env = json((await invoke('Env')).payload);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'Env');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
    assert.equal(env.TZ, ':UTC');
    assert.equal(env._HANDLER, 'handlers.env');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/Env');
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
    assert.equal(env.LAMBDA_TASK_ROOT, path.join(fixtures, 'node'));
    assert.equal(env.CUSTOM, 'yes');
    const echo = await invoke('Echo');
    assert.equal(json(echo.payload).event && 'ok', 'ok');
  });

  it('times out with Sandbox.Timedout, resets the environment and keeps /tmp', async () => {
    const written = json((await invoke('Tmp', { write: 'kept' })).payload);
    assert.equal(written.content, 'kept');
    assert.equal(written.invocations, 1);

    const timedOut = await invoke('Tmp', { sleepMs: 5000 });
    assert.equal(timedOut.functionError, 'Unhandled');
    assert.deepEqual(json(timedOut.payload), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    });
    assert.match(linesOf(timedOut.requestId).at(-1) as string, /\tStatus: timeout\tError Type: Sandbox\.Timedout\t$/);

    const afterReset = json((await invoke('Tmp', {})).payload);
    assert.equal(afterReset.invocations, 1, 'module state is reset after a timeout');
    assert.equal(afterReset.content, 'kept', '/tmp survives the reset');
    assert.equal(afterReset.tmp, written.tmp, 'same environment, same /tmp');
    assert.equal(service.listInstances().filter((i) => i.functionName === 'Tmp').length, 1);
  });

  it('reports a crash as Runtime.ExitError and replaces the runtime', async () => {
    const crash = await invoke('Crash');
    assert.equal(crash.functionError, 'Unhandled');
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

  it('reports out-of-memory as Runtime.OutOfMemory', async () => {
    const hog = await invoke('Hog');
    assert.equal(hog.functionError, 'Unhandled');
    assert.deepEqual(json(hog.payload), {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${hog.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(linesOf(hog.requestId).at(-1) as string, /Status: error\tError Type: Runtime\.OutOfMemory\t$/);
    assert.ok((hog.maxMemoryUsedMB ?? 0) >= 100, `peak memory reported (${hog.maxMemoryUsedMB} MB)`);
  });

  it('returns function errors with X-Amz-Function-Error semantics and the Node error shape', async () => {
    const fail = await invoke('Fail');
    assert.equal(fail.functionError, 'Unhandled');
    assert.equal(fail.errorType, 'TypeError');
    const body = json(fail.payload);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'bad input');
    assert.ok(Array.isArray(body.trace) && body.trace[0].startsWith('TypeError: bad input'));
  });

  it('retries a failed init inside the first invoke and reports both INIT_REPORT lines', async () => {
    const result = await invoke('InitFail');
    assert.equal(result.functionError, 'Unhandled');
    const body = json(result.payload);
    assert.equal(body.errorType, 'Error');
    assert.equal(body.errorMessage, 'init exploded');
    const all = logs.filter((l) => l.functionName === 'InitFail').map((l) => l.text);
    const reports = all.filter((l) => l.startsWith('INIT_REPORT'));
    assert.equal(reports.length, 2, all.join('\n'));
    assert.match(reports[0] as string, /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Error$/);
    assert.match(reports[1] as string, /\tPhase: invoke\tStatus: error\tError Type: Error$/);
    assert.ok(all.indexOf(reports[1] as string) < all.findIndex((l) => l.startsWith('START')));
  });

  it('throttles over reserved concurrency with TooManyRequestsException and refuses everything at 0', async () => {
    const slow = invoke('Reserved', { ms: 800 });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(invoke('Reserved', { ms: 1 }), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'TooManyRequestsException');
      assert.equal(e.httpStatus, 429);
      assert.equal(e.message, 'Rate Exceeded.');
      assert.equal(e.extra.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return true;
    });
    assert.equal((await slow).functionError, undefined);
    await assert.rejects(invoke('Zero'), /Rate Exceeded/);
  });

  it('resolves qualifiers: $LATEST, the AutoPublishAlias and version 1; unknown ones are not found', async () => {
    const alias = await invoke('Aliased', {}, { qualifier: 'live' });
    assert.equal(alias.executedVersion, '1');
    const latest = await invoke('Aliased:$LATEST');
    assert.equal(latest.executedVersion, '$LATEST');
    await assert.rejects(invoke('Aliased', {}, { qualifier: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'ResourceNotFoundException');
      assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:Aliased:nope');
      return true;
    });
    await assert.rejects(invoke('Missing'), /Function not found: arn:aws:lambda:us-east-1:123456789012:function:Missing:\$LATEST/);
  });

  it('starts provisioned concurrency ahead of invocations; the alias uses those environments, without Init Duration', async () => {
    const report = await service.startProvisionedConcurrency();
    assert.deepEqual(report, ['Provisioned:live: 2 of 2 provisioned environments ready']);
    const warm = service.listInstances().filter((i) => i.functionName === 'Provisioned');
    assert.equal(warm.length, 2);
    assert.ok(warm.every((i) => i.state === 'idle' && i.version === '1'));
    const result = await invoke('Provisioned', {}, { qualifier: 'live' });
    assert.equal(json(result.payload).AWS_LAMBDA_INITIALIZATION_TYPE, 'provisioned-concurrency');
    assert.equal(json(result.payload).AWS_LAMBDA_FUNCTION_VERSION, '1');
    assert.equal(result.initDurationMs, undefined);
    assert.doesNotMatch(linesOf(result.requestId).at(-1) as string, /Init Duration/);
    assert.equal(service.listInstances().filter((i) => i.functionName === 'Provisioned').length, 2, 'no on-demand environment was needed');
    const onDemand = await invoke('Provisioned');
    assert.equal(json(onDemand.payload).AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand', '$LATEST scales on demand');
  });

  it('answers DryRun with 204 and runs Event invocations from the queue with 202', async () => {
    assert.equal((await invoke('Echo', {}, { invocationType: 'DryRun' })).statusCode, 204);
    const seen = new Promise<string>((resolve) => {
      const sub = service.logs.add({ write: (r) => r.functionName === 'Echo' && r.text.includes('"async":true') && (sub.dispose(), resolve(r.text)) });
    });
    const queued = await invoke('Echo', { async: true }, { invocationType: 'Event' });
    assert.equal(queued.statusCode, 202);
    assert.equal(queued.payload.length, 0);
    assert.match(await seen, /echo \{"async":true\}/);
  });

  it('rejects payloads that are not JSON or too large', async () => {
    await assert.rejects(service.invoke({ functionName: 'Echo', payload: Buffer.from('{oops') }), /Could not parse request body into json/);
    await assert.rejects(
      service.invoke({ functionName: 'Echo', payload: Buffer.alloc(1024 * 1024 + 1, 32), invocationType: 'Event' }),
      (e: unknown) => e instanceof ServiceError && e.code === 'RequestTooLargeException' && e.httpStatus === 413,
    );
  });

  it('returns the Tail log result: base64 of the last 4 KB with START, the lines, END and REPORT', async () => {
    const result = await invoke('Echo', { tail: true }, { logType: 'Tail' });
    const text = Buffer.from(result.logResult ?? '', 'base64').toString('utf8');
    assert.match(text, new RegExp(`^START RequestId: ${result.requestId} Version: \\$LATEST\\n`));
    assert.match(text, /\tINFO\techo \{"tail":true\}\n/);
    assert.match(text, new RegExp(`END RequestId: ${result.requestId}\\nREPORT RequestId: ${result.requestId}\\t`));
  });

  it('runs Python handlers and custom runtimes as local processes', async () => {
    const py = await invoke('Python', { x: 1 });
    assert.equal(py.functionError, undefined, py.payload.toString());
    assert.deepEqual(json(py.payload), { event: { x: 1 }, requestId: py.requestId });
    const custom = await invoke('Custom', { y: 2 });
    assert.deepEqual(json(custom.payload), { custom: true, handler: 'ignored.handler' });
    assert.ok(linesOf(custom.requestId).includes('custom runtime got {"y":2}'));
  });

  it('stops every runtime process on stopInstances', async () => {
    await invoke('Echo');
    const pids = service.listInstances().map((i) => Number(i.displayId.replace('pid ', ''))).filter((p) => p > 0);
    assert.ok(pids.length > 0);
    await service.stopInstances();
    assert.equal(service.listInstances().length, 0);
    for (const pid of pids) assert.equal(pidAlive(pid), false, `pid ${pid} is gone`);
  });
});
