// The Node bootstrap against a real Runtime API server: handler styles, module formats, resolution and the context object.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLUSH_MARKER } from '../../src/shared/runtimeProtocol';
import { FUNCTION_ARN, json, RuntimeUnderTest, runtimePerTest } from './nodeRuntimeHarness';

describe('Node runtime: handlers', () => {
  const start = runtimePerTest();

  it('runs an async handler and fills the context object and _X_AMZN_TRACE_ID', async () => {
    const rt = await start('async', 'index.handler');
    const outcome = await rt.invoke({ n: 1 }, {
      requestId: 'req-1', traceId: 'Root=1-abc;Sampled=1', tenantId: 'tenant-7',
      clientContext: '{"client":{"app_title":"t"},"custom":{"k":"v"}}',
      cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}',
    });
    assert.equal(outcome.kind, 'response');
    assert.deepEqual(json(outcome), {
      event: { n: 1 },
      context: {
        callbackWaitsForEmptyEventLoop: true,
        functionVersion: '$LATEST',
        functionName: 'fixture',
        memoryLimitInMB: '128',
        logGroupName: '/aws/lambda/fixture',
        logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
        clientContext: { client: { app_title: 't' }, custom: { k: 'v' } },
        identity: { cognitoIdentityId: 'cid', cognitoIdentityPoolId: 'pool' },
        invokedFunctionArn: FUNCTION_ARN,
        awsRequestId: 'req-1',
        tenantId: 'tenant-7',
      },
      remainingType: 'number',
      remainingPositive: true,
      hasCallbacks: ['function', 'function', 'function'],
      identity: { cognitoIdentityId: 'cid', cognitoIdentityPoolId: 'pool' },
      tenantId: 'tenant-7',
      traceEnv: 'Root=1-abc;Sampled=1',
    });
    const second = json(await rt.invoke({ n: 2 })) as { traceEnv: unknown; identity?: unknown; context: Record<string, unknown> };
    assert.equal(second.traceEnv, null, '_X_AMZN_TRACE_ID is removed when the invoke has no trace id');
    assert.equal(second.identity, undefined);
    assert.equal('clientContext' in second.context, false);
  });

  it('answers null when an async handler returns undefined', async () => {
    const rt = await start('async', 'index.returnsNothing');
    assert.equal((await rt.invoke({})).payload.toString(), 'null');
  });

  it('waits for the empty event loop before posting a callback result', async () => {
    const rt = await start('callback', 'index.handler');
    const outcome = await rt.invoke({ x: 1 }, { requestId: 'cb-1' });
    assert.deepEqual(json(outcome), { via: 'callback', event: { x: 1 } });
    assert.ok(rt.stdout.indexOf('timer fired') < rt.stdout.indexOf(`${FLUSH_MARKER}cb-1`), rt.stdout);
  });

  it('posts at once with callbackWaitsForEmptyEventLoop = false, even with a live interval', async () => {
    const rt = await start('callbackNoWait', 'index.handler');
    assert.equal(json(await rt.invoke({})), 'answered without waiting');
    assert.equal(json(await rt.invoke({})), 'answered without waiting');
  });

  it('answers null for a non-async handler that never calls back', async () => {
    const rt = await start('noCallback', 'index.handler');
    assert.equal((await rt.invoke({})).payload.toString(), 'null');
    assert.match(rt.stdout, /still ran/);
  });

  it('counts only the first succeed and logs the repeated completion', async () => {
    const rt = await start('async', 'index.succeedTwice');
    assert.equal(json(await rt.invoke({})), 'first');
  });

  it('loads ES modules by package.json type, .mjs, .cjs, nested paths and top-level await', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['esmPackage', 'app.handler', { style: 'esm-package', input: { v: 1 } }],
      ['mjs', 'app.handler', { style: 'mjs', moduleType: 'undefined' }],
      ['cjs', 'app.handler', { style: 'cjs', moduleType: 'function' }],
      ['nested', 'src/handlers/deep.routes.main', 'nested handler'],
      ['topLevelAwait', 'app.handler', 'awaited at init'],
    ];
    for (const [fixture, handler, expected] of cases) {
      const rt = await RuntimeUnderTest.start(fixture, handler);
      try {
        assert.deepEqual(json(await rt.invoke({ v: 1 })), expected, `${fixture} ${handler}`);
      } finally {
        await rt.stop();
      }
    }
  });

  it('prefers the extensionless file over .js, .js over .mjs, and .mjs over .cjs', async () => {
    for (const [handler, expected] of [['first.handler', 'extensionless'], ['second.handler', 'js'], ['third.handler', 'mjs']]) {
      const rt = await RuntimeUnderTest.start('precedence', handler);
      try {
        assert.equal(json(await rt.invoke({})), expected, handler);
      } finally {
        await rt.stop();
      }
    }
  });

  it('fires onNext once init is done and again after every result', async () => {
    const rt = await start('async', 'index.returnsNothing');
    let count = 0;
    rt.server.onNext(() => count++);
    const reached = (target: number): Promise<void> => new Promise((resolve) => {
      if (count >= target) resolve();
      else rt.server.onNext(() => { if (count >= target) resolve(); });
    });
    await reached(1);
    await rt.invoke({});
    await rt.invoke({});
    await reached(3);
    assert.equal(count, 3);
  });
});
