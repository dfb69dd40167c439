// The engine end to end on the process backend: real runtime processes, real Runtime API servers on 127.0.0.1.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { findBubblewrap } from '../../src/core/instances/process/sandbox';
import { ServiceError } from '../../src/core/service/invocation';
import { EngineUnderTest, declareEngineBehaviours, engineFixtures, engineSpec, json, sharedEngineSpecs } from '../support/engineBehaviours';
import { pidAlive } from '../support/processes';

describe('engine on the process backend', () => {
  const engine = new EngineUnderTest();

  before(() => {
    engine.start(new ProcessBackend(), [
      ...sharedEngineSpecs(),
      engineSpec('InitLines', 'handlers.manyLines'),
      engineSpec('Reserved', 'handlers.sleep', { reservedConcurrency: 1, timeoutSeconds: 5 }),
      engineSpec('Zero', 'handlers.echo', { reservedConcurrency: 0 }),
      engineSpec('Reuse', 'handlers.whichEnvironment'),
      engineSpec('Aliased', 'handlers.echo', { autoPublishAlias: 'live' }),
      engineSpec('Provisioned', 'handlers.env', { autoPublishAlias: 'live', provisionedConcurrency: 2 }),
      engineSpec('Python', 'handlers.echo', {}, 'python', 'python3.11'),
      engineSpec('Custom', 'ignored.handler', {}, 'custom', 'provided.al2023'),
    ]);
  });

  after(() => engine.dispose());

  declareEngineBehaviours(engine, {
    // With bubblewrap the code is at /var/task, as on Lambda.
    taskRoot: findBubblewrap() ? '/var/task' : path.join(engineFixtures, 'node'),
    measuredMemory: { aboveMB: 10, source: 'process' },
    oomPeakIsTheLimit: false,
    // Documented in README (Differences from Lambda): the developer's HOME, and TMPDIR pointing at the environment's own /tmp.
    extraVariables: ['HOME', 'TMPDIR'],
  });

  it('logs init lines with requestId undefined, INIT_START before the first START, and Init Duration after Max Memory Used', async () => {
    const result = await engine.invoke('InitLines', { n: 1 });
    const all = engine.linesOfFunction('InitLines');
    const initStart = all.findIndex((l) => l.startsWith('INIT_START Runtime Version: nodejs:20'));
    const initLine = all.findIndex((l) => /\tundefined\tINFO\tinit ran$/.test(l));
    const start = all.findIndex((l) => l.startsWith('START RequestId'));
    assert.ok(initStart !== -1 && initStart < initLine && initLine < start, all.join('\n'));
    const report = engine.linesOf(result.requestId).at(-1) as string;
    assert.match(report, /\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/);
  });

  it('throttles over reserved concurrency with TooManyRequestsException and refuses everything at 0', async () => {
    const slow = engine.invoke('Reserved', { ms: 800 });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(engine.invoke('Reserved', { ms: 1 }), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'TooManyRequestsException');
      assert.equal(e.httpStatus, 429);
      assert.equal(e.message, 'Rate Exceeded.');
      assert.equal(e.extra.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return true;
    });
    assert.equal((await slow).functionError, undefined);
    await assert.rejects(engine.invoke('Zero'), /Rate Exceeded/);
  });

  it('hands the most recently released idle environment to the next invocation', async () => {
    const environmentOf = async (ms: number): Promise<string> => json((await engine.invoke('Reuse', { ms })).payload).environmentId;
    // Two environments: the slow invocation's is released last, so the next invocation goes there.
    const [slow, quick] = await Promise.all([environmentOf(400), environmentOf(0)]);
    assert.notEqual(slow, quick);
    assert.equal(await environmentOf(0), slow);
    // Roles swapped: the first of the pair takes the most recent environment and ends first; the other, released last, is next.
    const [first, second] = await Promise.all([environmentOf(200), new Promise<void>((resolve) => setTimeout(resolve, 50)).then(() => environmentOf(400))]);
    assert.deepEqual([first, second], [slow, quick]);
    assert.equal(await environmentOf(0), quick);
  });

  it('resolves qualifiers: $LATEST, the AutoPublishAlias and version 1; unknown ones are not found', async () => {
    const alias = await engine.invoke('Aliased', {}, { qualifier: 'live' });
    assert.equal(alias.executedVersion, '1');
    const latest = await engine.invoke('Aliased:$LATEST');
    assert.equal(latest.executedVersion, '$LATEST');
    await assert.rejects(engine.invoke('Aliased', {}, { qualifier: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'ResourceNotFoundException');
      assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:Aliased:nope');
      return true;
    });
    await assert.rejects(engine.invoke('Missing'), /Function not found: arn:aws:lambda:us-east-1:123456789012:function:Missing:\$LATEST/);
  });

  it('starts provisioned concurrency ahead of invocations; the alias uses those environments, without Init Duration', async () => {
    const report = await engine.service.startProvisionedConcurrency();
    assert.deepEqual(report, ['Provisioned:live: 2 of 2 provisioned environments ready']);
    const warm = engine.service.listInstances().filter((i) => i.functionName === 'Provisioned');
    assert.equal(warm.length, 2);
    assert.ok(warm.every((i) => i.state === 'idle' && i.version === '1'));
    const result = await engine.invoke('Provisioned', {}, { qualifier: 'live' });
    assert.equal(json(result.payload).AWS_LAMBDA_INITIALIZATION_TYPE, 'provisioned-concurrency');
    assert.equal(json(result.payload).AWS_LAMBDA_FUNCTION_VERSION, '1');
    assert.equal(result.initDurationMs, undefined);
    assert.doesNotMatch(engine.linesOf(result.requestId).at(-1) as string, /Init Duration/);
    assert.equal(engine.service.listInstances().filter((i) => i.functionName === 'Provisioned').length, 2, 'no on-demand environment was needed');
    const onDemand = await engine.invoke('Provisioned');
    assert.equal(json(onDemand.payload).AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand', '$LATEST scales on demand');
  });

  it('answers DryRun with 204 and runs Event invocations from the queue with 202', async () => {
    assert.equal((await engine.invoke('Echo', {}, { invocationType: 'DryRun' })).statusCode, 204);
    const seen = new Promise<string>((resolve) => {
      const sub = engine.service.logs.add({ write: (r) => r.functionName === 'Echo' && r.text.includes('"async":true') && (sub.dispose(), resolve(r.text)) });
    });
    const queued = await engine.invoke('Echo', { async: true }, { invocationType: 'Event' });
    assert.equal(queued.statusCode, 202);
    assert.equal(queued.payload.length, 0);
    assert.match(await seen, /echo \{"async":true\}/);
  });

  it('rejects payloads that are not JSON or too large', async () => {
    await assert.rejects(engine.service.invoke({ functionName: 'Echo', payload: Buffer.from('{oops') }), /Could not parse request body into json/);
    await assert.rejects(
      engine.service.invoke({ functionName: 'Echo', payload: Buffer.alloc(1024 * 1024 + 1, 32), invocationType: 'Event' }),
      (e: unknown) => e instanceof ServiceError && e.code === 'RequestTooLargeException' && e.httpStatus === 413,
    );
  });

  it('runs Python handlers and custom runtimes as local processes', async () => {
    const py = await engine.invoke('Python', { x: 1 });
    assert.equal(py.functionError, undefined, py.payload.toString());
    assert.deepEqual(json(py.payload), { event: { x: 1 }, requestId: py.requestId });
    const custom = await engine.invoke('Custom', { y: 2 });
    assert.deepEqual(json(custom.payload), { custom: true, handler: 'ignored.handler' });
    assert.ok(engine.linesOf(custom.requestId).includes('custom runtime got {"y":2}'));
    const initStart = engine.linesOfFunction('Custom').find((l) => l.startsWith('INIT_START'));
    assert.match(initStart ?? '', /^INIT_START Runtime Version: provided:al2023\.v\d+\tRuntime Version ARN: arn:aws:lambda:/);
    const pythonStart = engine.linesOfFunction('Python').find((l) => l.startsWith('INIT_START'));
    assert.match(pythonStart ?? '', /^INIT_START Runtime Version: python:3\.11\.\d+\t/);
  });

  it('stops every runtime process on stopInstances', async () => {
    await engine.invoke('Echo');
    const pids = engine.service.listInstances().map((i) => Number(i.displayId.replace('pid ', ''))).filter((p) => p > 0);
    assert.ok(pids.length > 0);
    await engine.service.stopInstances();
    assert.equal(engine.service.listInstances().length, 0);
    for (const pid of pids) assert.equal(pidAlive(pid), false, `pid ${pid} is gone`);
  });
});
