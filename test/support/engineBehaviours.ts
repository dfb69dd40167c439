// Engine behaviours every backend must show (node:test cases), declared once and run by the process and container suites.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import type { Backend } from '../../src/core/instances/backend';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import type { InvokeRequest, InvokeResult } from '../../src/core/service/invocation';
import { LambdaService, type ServiceOptions } from '../../src/core/service/lambdaService';
import { functionFromHandler } from '../../src/core/template';
import type { FunctionSpec } from '../../src/core/template/functionSpec';

/** test/fixtures/engine (this file runs from out/test/support). */
export const engineFixtures = path.resolve(__dirname, '../../../test/fixtures/engine');

/** A function on the engine fixtures: `dir` is the code directory below test/fixtures/engine. */
export function engineSpec(name: string, handler: string, overrides: Partial<FunctionSpec> = {}, dir = 'node', runtime = 'nodejs20.x'): FunctionSpec {
  const base = functionFromHandler({ handler, runtime, codeDir: path.join(engineFixtures, dir) });
  return { ...base, logicalId: name, functionName: name, ...overrides };
}

export const json = (payload: Buffer) => JSON.parse(payload.toString('utf8'));

/** The functions the shared cases invoke; a suite registers them next to its own. */
export function sharedEngineSpecs(): FunctionSpec[] {
  return [
    engineSpec('Echo', 'handlers.echo', { environment: { GREETING: 'hi', AWS_REGION: 'eu-west-9' } }),
    engineSpec('Callback', 'handlers.callback'),
    engineSpec('Esm', 'esm.handler'),
    engineSpec('Env', 'handlers.env', { memorySizeMB: 256, environment: { CUSTOM: 'yes' } }),
    engineSpec('Tmp', 'handlers.writeTmp', { timeoutSeconds: 1 }),
    engineSpec('Crash', 'handlers.crash'),
    engineSpec('ExitZero', 'handlers.exitZero'),
    engineSpec('Hog', 'handlers.hog', { memorySizeMB: 128, timeoutSeconds: 30 }),
    engineSpec('Fail', 'handlers.fail'),
    engineSpec('Lines', 'handlers.manyLines'),
    engineSpec('InitFail', 'handlers.handler', {}, 'initfail'),
  ];
}

/** A LambdaService on one backend with every log record kept: started in a suite's before(), disposed in its after(). */
export class EngineUnderTest {
  readonly logs: LogRecord[] = [];
  private running: { service: LambdaService; stateDir: string } | undefined;

  start(backend: Backend, specs: FunctionSpec[], options: Partial<ServiceOptions> = {}): void {
    const stateDir = mkdtempSync(path.join(tmpdir(), "lwb-engine-"));
    const logSink = { write: (record: LogRecord) => this.logs.push(record) };
    this.running = { service: new LambdaService(FunctionRegistry.fromSpecs(specs), { ...options, backend, stateDir, logSink }), stateDir };
  }

  get service(): LambdaService {
    if (!this.running) throw new Error('the engine under test is not started (call start() in before())');
    return this.running.service;
  }

  invoke(functionName: string, event: unknown = {}, extra: Partial<InvokeRequest> = {}): Promise<InvokeResult> {
    return this.service.invoke({ functionName, payload: Buffer.from(JSON.stringify(event)), ...extra });
  }

  /** The texts of the records of one invocation, in order. */
  linesOf(requestId: string): string[] {
    return this.logs.filter((l) => l.requestId === requestId).map((l) => l.text);
  }

  /** The texts of every record of one function, in order. */
  linesOfFunction(functionName: string): string[] {
    return this.logs.filter((l) => l.functionName === functionName).map((l) => l.text);
  }

  /** The backend's id of the function's (first) instance: "pid N" or "container ID". */
  displayIdOf(functionName: string): string | undefined {
    return this.service.listInstances().find((i) => i.functionName === functionName)?.displayId;
  }

  async dispose(): Promise<void> {
    if (!this.running) return;
    await this.running.service.dispose();
    rmSync(this.running.stateDir, { recursive: true, force: true });
    this.running = undefined;
  }
}

/** What differs between backends in the shared cases. */
export interface BackendExpectations {
  /** LAMBDA_TASK_ROOT as the handler sees it. */
  taskRoot: string;
  /** Max Memory Used of a small handler lies above this (MB), as measured where it comes from (a process, a cgroup). */
  measuredMemory: { aboveMB: number; source: string };
  /** An out-of-memory kill reports the memory limit itself as the peak (a container's cgroup does; a process is sampled). */
  oomPeakIsTheLimit: boolean;
  /** Variables the backend's environments have that Lambda's lack (each one listed in the README). */
  extraVariables: string[];
  /** Why this engine cannot tell an out-of-memory kill from another SIGKILL (the case is skipped with this reason). */
  oomKillUnreported?: string;
}

/** What a Node.js function's environment holds on AWS (contract §3.1, nodejs22.x capture), customer variables aside. */
const LAMBDA_NODE_VARIABLES = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_LAMBDA_RUNTIME_API', 'AWS_XRAY_CONTEXT_MISSING',
  'AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_PORT', 'LAMBDA_RUNTIME_DIR', 'LAMBDA_TASK_ROOT', 'LANG',
  'LD_LIBRARY_PATH', 'NODE_PATH', 'PATH', 'PWD', 'SHLVL', 'TZ', '_HANDLER', '_X_AMZN_TRACE_ID',
];

/** The number in a REPORT line's `Max Memory Used: N MB`. */
function reportedMemory(engine: EngineUnderTest, requestId: string): number {
  const report = engine.linesOf(requestId).find((l) => l.startsWith('REPORT ')) ?? '';
  return Number(/\tMax Memory Used: (\d+) MB\t/.exec(report)?.[1] ?? NaN);
}

/** Declares the shared cases (inside the suite's describe, after its before()); they invoke the sharedEngineSpecs() functions. */
export function declareEngineBehaviours(engine: EngineUnderTest, expected: BackendExpectations): void {
  it('runs async, callback and ES module handlers, reuses the warm instance, and runs init once', async () => {
    const first = await engine.invoke('Echo', { n: 1 });
    assert.equal(first.statusCode, 200);
    assert.equal(first.functionError, undefined, first.payload.toString());
    const body1 = json(first.payload);
    assert.deepEqual(body1.event, { n: 1 });
    assert.equal(body1.invocations, 1);
    assert.equal(body1.requestId, first.requestId);
    assert.ok(body1.remaining > 0 && body1.remaining <= 3000);
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0);

    const second = await engine.invoke('Echo', { n: 2 });
    const body2 = json(second.payload);
    assert.equal(body2.invocations, 2, 'module state survives between warm invocations');
    assert.equal(body2.initCount, 1);
    assert.equal(second.initDurationMs, undefined, 'Init Duration only on the first REPORT');
    assert.equal(engine.service.listInstances().filter((i) => i.functionName === 'Echo').length, 1);
    assert.deepEqual(json((await engine.invoke('Callback', { c: 1 })).payload), { style: 'callback', event: { c: 1 } });
    assert.deepEqual(json((await engine.invoke('Esm', { e: 1 })).payload), { style: 'esm', event: { e: 1 } });
  });

  it('writes START, application lines, END and REPORT in order with the CloudWatch format', async () => {
    const result = await engine.invoke('Echo', { hello: 'world' });
    const lines = engine.linesOf(result.requestId);
    assert.equal(lines[0], `START RequestId: ${result.requestId} Version: $LATEST`);
    assert.match(lines[1] as string, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${result.requestId}\\tINFO\\techo {"hello":"world"}$`));
    assert.equal(lines[2], `END RequestId: ${result.requestId}`);
    assert.match(
      lines[3] as string,
      new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t$`),
    );
    const maxMemory = Number(/Max Memory Used: (\d+) MB/.exec(lines[3] as string)?.[1]);
    const { aboveMB, source } = expected.measuredMemory;
    assert.ok(maxMemory > aboveMB && maxMemory < 128, `memory is measured from the ${source} (${maxMemory} MB)`);
  });

  it('streams every line the handler wrote before END, including a last line without newline', async () => {
    const result = await engine.invoke('Lines', { n: 200 });
    const lines = engine.linesOf(result.requestId);
    assert.equal(json(result.payload), 'done');
    const end = lines.findIndex((l) => l.startsWith('END '));
    assert.equal(lines.filter((l) => /\tINFO\tline \d+$/.test(l)).length, 200);
    assert.equal(lines[end - 1], 'no newline at the end');
    assert.ok(lines.every((l) => !l.includes('LWB-FLUSH')), 'flush markers are not shown');
  });

  it('gives the handler the Lambda environment, with platform values winning over the configuration', async () => {
    const env = json((await engine.invoke('Env')).payload);
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
    assert.equal(env.LAMBDA_TASK_ROOT, expected.taskRoot);
    assert.equal(env.CUSTOM, 'yes');
    assert.equal(env.PWD, expected.taskRoot, 'PWD is the task root, as Lambda\'s bootstrap leaves it');
    assert.equal(env.SHLVL, '0');
    const unexpected = Object.keys(env).filter((name) => name !== 'CUSTOM' && !LAMBDA_NODE_VARIABLES.includes(name) && !expected.extraVariables.includes(name));
    assert.deepEqual(unexpected, [], 'no variables Lambda lacks, beyond the documented differences');
    const echo = await engine.invoke('Echo');
    assert.equal(json(echo.payload).event && 'ok', 'ok');
  });

  it('times out with Sandbox.Timedout, replaces the runtime and keeps /tmp', async () => {
    const written = json((await engine.invoke('Tmp', { write: 'kept' })).payload);
    assert.equal(written.content, 'kept');
    assert.equal(written.invocations, 1);
    const before = engine.displayIdOf('Tmp');

    const timedOut = await engine.invoke('Tmp', { sleepMs: 5000 });
    assert.equal(timedOut.functionError, 'Unhandled');
    assert.deepEqual(json(timedOut.payload), {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    });
    assert.match(engine.linesOf(timedOut.requestId).at(-1) as string, /\tStatus: timeout\tError Type: Sandbox\.Timedout\t$/);

    const afterReset = json((await engine.invoke('Tmp', {})).payload);
    assert.equal(afterReset.invocations, 1, 'module state is reset after a timeout');
    assert.equal(afterReset.content, 'kept', '/tmp survives the reset');
    assert.equal(afterReset.tmp, written.tmp, 'same environment, same /tmp');
    assert.equal(engine.service.listInstances().filter((i) => i.functionName === 'Tmp').length, 1);
    assert.notEqual(engine.displayIdOf('Tmp'), before, 'a new runtime replaced the timed-out one');
  });

  it('reports a crash as Runtime.ExitError and replaces the runtime', async () => {
    const crash = await engine.invoke('Crash');
    assert.equal(crash.functionError, 'Unhandled');
    assert.deepEqual(json(crash.payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${crash.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const zero = await engine.invoke('ExitZero');
    assert.deepEqual(json(zero.payload), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${zero.requestId} Error: Runtime exited without providing a reason`,
    });
    for (const result of [crash, zero]) {
      const memory = reportedMemory(engine, result.requestId);
      assert.ok(memory > 0 && memory <= 128, `REPORT after an exit measures the environment (${memory} MB)`);
      assert.equal(result.maxMemoryUsedMB, memory);
    }
  });

  it('reports out-of-memory as Runtime.OutOfMemory', { skip: expected.oomKillUnreported ?? false }, async () => {
    const hog = await engine.invoke('Hog');
    assert.equal(hog.functionError, 'Unhandled');
    assert.deepEqual(json(hog.payload), {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${hog.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(engine.linesOf(hog.requestId).at(-1) as string, /Status: error\tError Type: Runtime\.OutOfMemory\t$/);
    assert.ok((hog.maxMemoryUsedMB ?? 0) >= 100, `peak memory reported (${hog.maxMemoryUsedMB} MB)`);
    if (expected.oomPeakIsTheLimit) assert.equal(hog.maxMemoryUsedMB, 128, 'the runtime reached its limit');
    const reported = reportedMemory(engine, hog.requestId);
    assert.ok(reported <= 128, `Max Memory Used (${reported} MB) never exceeds Memory Size`);
    assert.equal(hog.maxMemoryUsedMB, reported);
  });

  it('returns function errors with X-Amz-Function-Error semantics and the Node error shape', async () => {
    const fail = await engine.invoke('Fail');
    assert.equal(fail.functionError, 'Unhandled');
    assert.equal(fail.errorType, 'TypeError');
    const body = json(fail.payload);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'bad input');
    assert.ok(Array.isArray(body.trace) && body.trace[0].startsWith('TypeError: bad input'));
  });

  it('retries a failed init inside the first invoke and reports both INIT_REPORT lines', async () => {
    const result = await engine.invoke('InitFail');
    assert.equal(result.functionError, 'Unhandled');
    const body = json(result.payload);
    assert.equal(body.errorType, 'Error');
    assert.equal(body.errorMessage, 'init exploded');
    const all = engine.linesOfFunction('InitFail');
    const reports = all.filter((l) => l.startsWith('INIT_REPORT'));
    assert.equal(reports.length, 2, all.join('\n'));
    assert.match(reports[0] as string, /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Error$/);
    assert.match(reports[1] as string, /\tPhase: invoke\tStatus: error\tError Type: Error$/);
    assert.ok(all.indexOf(reports[1] as string) < all.findIndex((l) => l.startsWith('START')));
  });

  it('returns the Tail log result: base64 of the last 4 KB with START, the lines, END and REPORT', async () => {
    const result = await engine.invoke('Echo', { tail: true }, { logType: 'Tail' });
    const text = Buffer.from(result.logResult ?? '', 'base64').toString('utf8');
    assert.match(text, new RegExp(`^START RequestId: ${result.requestId} Version: \\$LATEST\\n`));
    assert.match(text, /\tINFO\techo \{"tail":true\}\n/);
    assert.match(text, new RegExp(`END RequestId: ${result.requestId}\\nREPORT RequestId: ${result.requestId}\\t`));
  });
}
