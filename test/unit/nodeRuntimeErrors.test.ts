// The Node bootstrap's Runtime.* errors, init errors with their exit codes, and errors during an invocation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { json, RuntimeUnderTest, runtimePerTest } from './nodeRuntimeHarness';

interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

describe('Node runtime: errors', () => {
  const start = runtimePerTest();

  /** Init fails: the error goes to /init/error and the process exits with the RIC's code. */
  async function initError(fixture: string, handler: string, exitCode: number): Promise<{ body: ErrorBody; errorType: string; rt: RuntimeUnderTest }> {
    const rt = await start(fixture, handler);
    const reported = await rt.initError;
    assert.deepEqual(await rt.exited, { code: exitCode, signal: null });
    const body = JSON.parse(reported.payload.toString()) as ErrorBody;
    assert.equal(reported.errorType, body.errorType, 'the init error type header matches the body');
    assert.ok(Array.isArray(body.trace));
    return { body, errorType: reported.errorType, rt };
  }

  it('Runtime.ImportModuleError for a module that does not exist', async () => {
    const { body, rt } = await initError('async', 'missing.handler', 129);
    assert.equal(body.errorType, 'Runtime.ImportModuleError');
    assert.match(body.errorMessage, /^Error: Cannot find module 'missing'/);
    assert.match(rt.stdout, /\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Runtime.ImportModuleError"/);
  });

  it('Runtime.HandlerNotFound for a missing export and for an export that is not a function', async () => {
    const undefinedExport = await initError('async', 'index.nope', 129);
    assert.deepEqual(pick(undefinedExport.body), ['Runtime.HandlerNotFound', 'index.nope is undefined or not exported']);
    await undefinedExport.rt.stop();
    assert.deepEqual(pick((await initError('async', 'index.notFunction', 129)).body), ['Runtime.HandlerNotFound', 'index.notFunction is not a function']);
  });

  it('Runtime.MalformedHandlerName for a handler without a dot and for one with ..', async () => {
    const withoutDot = await initError('async', 'index', 129);
    assert.deepEqual(pick(withoutDot.body), ['Runtime.MalformedHandlerName', 'Bad handler']);
    await withoutDot.rt.stop();
    assert.deepEqual(pick((await initError('async', '../async/index.handler', 129)).body), ['Runtime.MalformedHandlerName',
      "'../async/index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names."]);
  });

  it('Runtime.UserCodeSyntaxError for a module that does not parse', async () => {
    assert.deepEqual(pick((await initError('syntax', 'index.handler', 129)).body), ['Runtime.UserCodeSyntaxError', 'SyntaxError: Unexpected end of input']);
  });

  it('passes a top-level throw through unchanged and exits 129', async () => {
    const { body, rt } = await initError('initThrow', 'index.handler', 129);
    assert.deepEqual(pick(body), ['TypeError', 'init exploded']);
    assert.match(rt.stdout, /\tundefined\tINFO\tloading\n/);
  });

  it('reports a rejection left at init as Runtime.UnhandledPromiseRejection and exits 128', async () => {
    const { body } = await initError('initReject', 'index.handler', 128);
    assert.deepEqual(pick(body), ['Runtime.UnhandledPromiseRejection', 'Error: rejected at init']);
  });

  it('Runtime.MalformedStreamingHandler for an unknown streaming marker', async () => {
    assert.deepEqual(pick((await initError('streaming', 'malformed.handler', 129)).body), ['Runtime.MalformedStreamingHandler', 'Only response streaming is supported.']);
  });

  it('posts a thrown error as {errorType, errorMessage, trace} and logs Invoke Error', async () => {
    const rt = await start('async', 'index.throws');
    const outcome = await rt.invoke({}, { requestId: 'err-1' });
    assert.equal(outcome.kind, 'error');
    assert.equal(outcome.kind === 'error' && outcome.errorType, 'Error');
    const body = json(outcome) as ErrorBody;
    assert.deepEqual(Object.keys(body), ['errorType', 'errorMessage', 'trace']);
    assert.deepEqual(pick(body), ['Error', 'handler failed']);
    assert.equal(body.trace[0], 'Error: handler failed');
    assert.match(rt.stdout, /\terr-1\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"handler failed","stack":\["Error: handler failed",/);
    assert.equal(json(await rt.invoke({})) !== null, true, 'the runtime keeps serving after a handler error');
  });

  it('serialises non-Error throws, synchronous throws and callback errors', async () => {
    const rt = await start('async', 'index.throwsString');
    assert.deepEqual(json(await rt.invoke({})), { errorType: 'string', errorMessage: 'plain string', trace: [] });
    await rt.stop();
    const sync = await start('async', 'index.syncThrows');
    assert.deepEqual(pick(json(await sync.invoke({})) as ErrorBody), ['TypeError', 'sync failure']);
    await sync.stop();
    const callback = await start('callback', 'index.error');
    assert.deepEqual(pick(json(await callback.invoke({})) as ErrorBody), ['RangeError', 'callback failure']);
    await callback.stop();
    const fail = await start('async', 'index.failNoArgument');
    assert.deepEqual(json(await fail.invoke({})), { errorType: 'string', errorMessage: 'handled', trace: [] });
  });

  it('reports a result JSON.stringify cannot serialise', async () => {
    const rt = await start('async', 'index.circular');
    assert.deepEqual(pick(json(await rt.invoke({})) as ErrorBody), ['Error', 'Unable to stringify response body']);
  });

  it('Runtime.NodeJsExit when an async handler never settles', async () => {
    const rt = await start('neverSettles', 'index.handler');
    const body = json(await rt.invoke({})) as ErrorBody;
    assert.equal(body.errorType, 'Runtime.NodeJsExit');
    assert.match(body.errorMessage, /^The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled./);
  });

  it('posts an uncaught exception during an invoke, then exits 129', async () => {
    const rt = await start('async', 'index.uncaughtDuringInvoke');
    assert.deepEqual(pick(json(await rt.invoke({})) as ErrorBody), ['Error', 'async boom']);
    assert.deepEqual(await rt.exited, { code: 129, signal: null });
    assert.match(rt.stdout, /\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"async boom"/);
  });

  it('posts an unhandled rejection during an invoke as Runtime.UnhandledPromiseRejection, then exits 128', async () => {
    const rt = await start('async', 'index.rejectsDuringInvoke');
    assert.deepEqual(pick(json(await rt.invoke({})) as ErrorBody), ['Runtime.UnhandledPromiseRejection', 'Error: forgotten']);
    assert.deepEqual(await rt.exited, { code: 128, signal: null });
  });

  it('reports an event that is not JSON as the handler error', async () => {
    const rt = await start('async', 'index.handler');
    const outcome = await rt.server.invoke({ requestId: 'bad', payload: Buffer.from('{not json'), deadlineMs: Date.now() + 1000, invokedFunctionArn: 'arn' });
    assert.equal(outcome.kind === 'error' && outcome.errorType, 'SyntaxError');
  });
});

function pick(body: ErrorBody): [string, string] {
  return [body.errorType, body.errorMessage];
}
