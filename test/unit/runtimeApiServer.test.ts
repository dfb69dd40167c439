// RuntimeApiServer over real HTTP on 127.0.0.1: every route, status code and outcome of the 2018-06-01 Runtime API.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { type InvocationEvent, RuntimeApiServer } from '../../src/core/runtimeApi/runtimeApiServer';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Send {
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  chunks?: string[];
  trailers?: Record<string, string>;
}

function call(server: RuntimeApiServer, method: string, path: string, send: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: server.port, method, path, headers: send.headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    for (const chunk of send.chunks ?? []) request.write(chunk);
    if (send.trailers) request.addTrailers(send.trailers);
    request.end(send.body);
  });
}

const NEXT = '/2018-06-01/runtime/invocation/next';
const result = (id: string, kind: 'response' | 'error'): string => `/2018-06-01/runtime/invocation/${id}/${kind}`;

function event(overrides: Partial<InvocationEvent> = {}): InvocationEvent {
  return {
    requestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
    payload: Buffer.from('{"key":"value"}'),
    deadlineMs: 1542409706888,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    ...overrides,
  };
}

describe('RuntimeApiServer', () => {
  let server: RuntimeApiServer;
  beforeEach(async () => { server = await RuntimeApiServer.start(); });
  afterEach(async () => { await server.close(); });

  it('binds 127.0.0.1 and reports host:port', () => {
    assert.equal(server.hostPort, `127.0.0.1:${server.port}`);
    assert.ok(server.port > 0);
  });

  it('delivers an invocation to a waiting long poll with every Lambda-Runtime-* header', async () => {
    let nextCount = 0;
    server.onNext(() => nextCount++);
    const poll = call(server, 'GET', NEXT);
    await new Promise<void>((resolve) => server.onNext(() => resolve()));
    const outcome = server.invoke(event({
      traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
      clientContext: '{"client":{"app_title":"Caf\u00e9"},"custom":{"k":"v"}}',
      cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
      tenantId: 'tenant-1',
    }));
    const next = await poll;
    assert.equal(next.status, 200);
    assert.equal(next.body, '{"key":"value"}');
    assert.equal(next.headers['content-type'], 'application/json');
    assert.equal(next.headers['lambda-runtime-aws-request-id'], '8476a536-e9f4-11e8-9739-2dfe598c3fcd');
    assert.equal(next.headers['lambda-runtime-deadline-ms'], '1542409706888');
    assert.equal(next.headers['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:123456789012:function:fn');
    assert.equal(next.headers['lambda-runtime-trace-id'], 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1');
    assert.deepEqual(JSON.parse(next.headers['lambda-runtime-client-context'] as string), { client: { app_title: 'Caf\u00e9' }, custom: { k: 'v' } });
    assert.equal(next.headers['lambda-runtime-cognito-identity'], '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}');
    assert.equal(next.headers['lambda-runtime-aws-tenant-id'], 'tenant-1');
    assert.equal(nextCount, 1);

    const posted = await call(server, 'POST', result('8476a536-e9f4-11e8-9739-2dfe598c3fcd', 'response'), {
      headers: { 'content-type': 'text/plain' }, body: 'done',
    });
    assert.equal(posted.status, 202);
    assert.equal(posted.body, '{"status":"OK"}');
    assert.deepEqual(await outcome, { kind: 'response', payload: Buffer.from('done'), contentType: 'text/plain', streamed: false });
  });

  it('queues an invocation until the runtime asks, omits absent optional headers and passes the content type', async () => {
    const outcome = server.invoke(event({ contentType: 'application/octet-stream' }));
    const next = await call(server, 'GET', NEXT);
    assert.equal(next.headers['content-type'], 'application/octet-stream');
    for (const name of ['lambda-runtime-trace-id', 'lambda-runtime-client-context', 'lambda-runtime-cognito-identity', 'lambda-runtime-aws-tenant-id']) {
      assert.equal(next.headers[name], undefined, name);
    }
    await call(server, 'POST', result(event().requestId, 'response'), { body: '"ok"' });
    assert.equal((await outcome).kind, 'response');
  });

  it('answers 400 InvalidRequestID for an id that is not in flight and 403 InvalidStateTransition for a second result', async () => {
    const idle = await call(server, 'POST', result('nobody', 'response'), { body: '1' });
    assert.equal(idle.status, 400);
    assert.deepEqual(JSON.parse(idle.body), { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });

    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    const wrong = await call(server, 'POST', result('someone-else', 'error'), { body: '{}' });
    assert.equal(wrong.status, 400);
    assert.equal((await call(server, 'POST', result(event().requestId, 'response'), { body: '1' })).status, 202);
    await outcome;
    const again = await call(server, 'POST', result(event().requestId, 'response'), { body: '2' });
    assert.equal(again.status, 403);
    assert.deepEqual(JSON.parse(again.body), {
      errorMessage: 'State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
  });

  it('answers 403 to /next while an invocation is unanswered', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    const early = await call(server, 'GET', NEXT);
    assert.equal(early.status, 403);
    assert.equal(JSON.parse(early.body).errorType, 'InvalidStateTransition');
    await call(server, 'POST', result(event().requestId, 'response'), { body: '1' });
    await outcome;
  });

  it('answers 413 over the default limit of 6291556 bytes and gives the invoker Function.ResponseSizeTooLarge', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    const tooLarge = await call(server, 'POST', result(event().requestId, 'response'), { body: Buffer.alloc(6291557, 0x61) });
    assert.equal(tooLarge.status, 413);
    assert.deepEqual(JSON.parse(tooLarge.body), {
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge',
    });
    const failed = await outcome;
    assert.equal(failed.kind, 'error');
    assert.equal(failed.kind === 'error' && failed.errorType, 'Function.ResponseSizeTooLarge');
    assert.equal(failed.payload.toString(),
      '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}');
  });

  it('accepts a response of exactly the limit', async () => {
    const limited = await RuntimeApiServer.start({ maxResponseBytes: 10 });
    try {
      const outcome = limited.invoke(event());
      await call(limited, 'GET', NEXT);
      assert.equal((await call(limited, 'POST', result(event().requestId, 'response'), { chunks: ['01234', '56789'] })).status, 202);
      assert.equal((await outcome).payload.toString(), '0123456789');
    } finally {
      await limited.close();
    }
  });

  it('answers 400 InvalidFunctionResponseMode for a mode other than streaming', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    const reply = await call(server, 'POST', result(event().requestId, 'response'), {
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'buffered' }, body: 'x',
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(JSON.parse(reply.body), { errorMessage: 'Invalid function response mode', errorType: 'InvalidFunctionResponseMode' });
    const failed = await outcome;
    assert.equal(failed.kind === 'error' && failed.errorType, 'Runtime.InvalidResponseModeHeader');
  });

  it('collects a streamed response chunk by chunk', async () => {
    const chunks: string[] = [];
    const outcome = server.invoke(event(), { onChunk: (chunk) => chunks.push(chunk.toString()) });
    await call(server, 'GET', NEXT);
    const reply = await call(server, 'POST', result(event().requestId, 'response'), {
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Content-Type': 'text/plain',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
      chunks: ['one ', 'two'],
    });
    assert.equal(reply.status, 202);
    assert.deepEqual(await outcome, { kind: 'response', payload: Buffer.from('one two'), contentType: 'text/plain', streamed: true });
    assert.equal(chunks.join(''), 'one two');
  });

  it('turns error trailers of a streamed response into an error outcome', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    const body = { errorType: 'Error', errorMessage: 'broke', trace: ['Error: broke'] };
    await call(server, 'POST', result(event().requestId, 'response'), {
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
      chunks: ['partial'],
      trailers: { 'Lambda-Runtime-Function-Error-Type': 'Error',
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64') },
    });
    const failed = await outcome;
    assert.equal(failed.kind === 'error' && failed.errorType, 'Error');
    assert.deepEqual(JSON.parse(failed.payload.toString()), body);
  });

  it('takes the error type from the header, else from the body, and passes the body unchanged', async () => {
    const bodyOnly = '{"errorType":"Runtime.HandlerNotFound","errorMessage":"x","trace":[]}';
    let outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    assert.equal((await call(server, 'POST', result(event().requestId, 'error'), { body: bodyOnly })).status, 202);
    assert.deepEqual(await outcome, { kind: 'error', payload: Buffer.from(bodyOnly), errorType: 'Runtime.HandlerNotFound' });

    outcome = server.invoke(event({ requestId: 'second' }));
    await call(server, 'GET', NEXT);
    await call(server, 'POST', result('second', 'error'), { headers: { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' }, body: bodyOnly });
    assert.deepEqual(await outcome, { kind: 'error', payload: Buffer.from(bodyOnly), errorType: 'Unhandled' });

    outcome = server.invoke(event({ requestId: 'third' }));
    await call(server, 'GET', NEXT);
    await call(server, 'POST', result('third', 'error'), { body: 'not json' });
    assert.deepEqual(await outcome, { kind: 'error', payload: Buffer.from('not json'), errorType: 'Runtime.Unknown' });
  });

  it('strips errorCause from error-cause bodies', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    await call(server, 'POST', result(event().requestId, 'error'), {
      headers: { 'Content-Type': 'application/vnd.aws.lambda.error.cause+json' },
      body: JSON.stringify({ errorMessage: 'm', errorType: 'T', stackTrace: [], errorCause: { paths: [] } }),
    });
    assert.deepEqual(await outcome, { kind: 'error', payload: Buffer.from('{"errorMessage":"m","errorType":"T","stackTrace":[]}'), errorType: 'T' });
  });

  it('accepts /init/error before the first /next only and reports it', async () => {
    const reported = new Promise<{ payload: Buffer; errorType: string }>((resolve) => server.onInitError(resolve));
    const posted = await call(server, 'POST', '/2018-06-01/runtime/init/error', {
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' }, body: '{"errorType":"Runtime.ImportModuleError"}',
    });
    assert.equal(posted.status, 202);
    assert.deepEqual(await reported, { payload: Buffer.from('{"errorType":"Runtime.ImportModuleError"}'), errorType: 'Runtime.ImportModuleError' });
    const second = await call(server, 'POST', '/2018-06-01/runtime/init/error', { body: '{}' });
    assert.equal(second.status, 403);
  });

  it('answers /init/error after init with 403', async () => {
    const poll = call(server, 'GET', NEXT);
    await new Promise<void>((resolve) => server.onNext(() => resolve()));
    const late = await call(server, 'POST', '/2018-06-01/runtime/init/error', { body: '{}' });
    assert.equal(late.status, 403);
    assert.match(JSON.parse(late.body).errorMessage, /^State transition from Ready to InitError failed/);
    await server.close();
    await assert.rejects(poll);
  });

  it('answers ping, 404 for unknown routes and 405 for a wrong method', async () => {
    assert.deepEqual([(await call(server, 'GET', '/2018-06-01/ping')).status, (await call(server, 'GET', '/2018-06-01/ping')).body], [200, 'pong']);
    assert.equal((await call(server, 'GET', '/2018-06-01/runtime/unknown')).status, 404);
    assert.equal((await call(server, 'GET', '/2020-01-01/runtime/invocation/next')).status, 404);
    assert.equal((await call(server, 'POST', '/2018-06-01/runtime/invocation/abc/other', { body: '' })).status, 404);
    assert.equal((await call(server, 'POST', NEXT, { body: '' })).status, 405);
  });

  it('abandon() rejects the invocation with CANCELLED, later posts get 400, and the runtime may ask for more', async () => {
    const outcome = server.invoke(event());
    await call(server, 'GET', NEXT);
    server.abandon(event().requestId);
    await assert.rejects(outcome, (error: unknown) => isWorkbenchError(error, 'CANCELLED'));
    assert.equal((await call(server, 'POST', result(event().requestId, 'response'), { body: '1' })).status, 400);
    const nextOutcome = server.invoke(event({ requestId: 'after' }));
    assert.equal((await call(server, 'GET', NEXT)).headers['lambda-runtime-aws-request-id'], 'after');
    await call(server, 'POST', result('after', 'response'), { body: '2' });
    assert.equal((await nextOutcome).payload.toString(), '2');
  });

  it('abandon() of a queued invocation withdraws it before any runtime sees it', async () => {
    const outcome = server.invoke(event());
    server.abandon(event().requestId);
    await assert.rejects(outcome, (error: unknown) => isWorkbenchError(error, 'CANCELLED'));
    const fresh = server.invoke(event({ requestId: 'fresh' }));
    assert.equal((await call(server, 'GET', NEXT)).headers['lambda-runtime-aws-request-id'], 'fresh');
    await call(server, 'POST', result('fresh', 'response'), { body: '1' });
    await fresh;
  });

  it('refuses a second invocation while one is in flight', async () => {
    const first = server.invoke(event());
    await assert.rejects(server.invoke(event({ requestId: 'other' })), (error: unknown) => isWorkbenchError(error, 'INSTANCE_FAILED'));
    await call(server, 'GET', NEXT);
    await call(server, 'POST', result(event().requestId, 'response'), { body: '1' });
    await first;
  });

  it('rejects a client context that is not JSON', async () => {
    await assert.rejects(server.invoke(event({ clientContext: '{\u00e9' })), (error: unknown) => isWorkbenchError(error, 'EVENT_INVALID'));
  });

  it('close() ends the pending long poll and fails unfinished invocations', async () => {
    const poll = call(server, 'GET', NEXT);
    await new Promise<void>((resolve) => server.onNext(() => resolve()));
    await server.close();
    await assert.rejects(poll);
    await assert.rejects(server.invoke(event()), (error: unknown) => isWorkbenchError(error, 'INSTANCE_FAILED'));
  });

  it('reports a port in use as PORT_IN_USE', async () => {
    await assert.rejects(RuntimeApiServer.start({ port: server.port }), (error: unknown) => isWorkbenchError(error, 'PORT_IN_USE'));
  });
});
