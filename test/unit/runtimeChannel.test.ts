// The runtime channel: its framing, and our Node.js runtime client on it through the engine (process backend, real processes).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { channelDescriptors, encodeFrame, type Frame, FRAME, FrameReader, type FrameKind, QUIET_FLAG } from '../../src/shared/runtimeChannel';
import { FLUSH_MARKER, QUIET_RESULTS_ENV } from '../../src/shared/runtimeProtocol';
import { EngineUnderTest, engineSpec, json } from '../support/engineBehaviours';
import { runtimePerTest } from './nodeRuntimeHarness';

/** One frame's bytes, spelled out from the format: kind, flags, head length and body length (uint32 BE), head, body. */
function frameBytes(kind: FrameKind, flags: number, head: string, body: Buffer | string = ''): Buffer {
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32BE(Buffer.byteLength(head), 0);
  lengths.writeUInt32BE(Buffer.byteLength(body), 4);
  return Buffer.concat([Buffer.from([kind, flags]), lengths, Buffer.from(head), Buffer.from(body)]);
}

/** Every frame (bodies as Buffers) and invalid-stream reason a reader produced from `chunks`. */
function read(chunks: Buffer[], maxBodyBytes?: number): { frames: Frame[]; invalid: string[] } {
  const frames: Frame[] = [];
  const invalid: string[] = [];
  const reader = new FrameReader((frame) => frames.push({ ...frame, body: frame.body && Buffer.from(frame.body) }), (reason) => invalid.push(reason), maxBodyBytes);
  for (const chunk of chunks) reader.push(chunk);
  return { frames, invalid };
}

function bytewise(buffer: Buffer): Buffer[] {
  return [...buffer].map((byte) => Buffer.from([byte]));
}

describe('runtime channel frames', () => {
  it('encodes a frame in one buffer: prefix, UTF-8 head, then a text or byte body', () => {
    assert.deepEqual(Buffer.from(encodeFrame(FRAME.response, QUIET_FLAG, 'id-ü', '{"ok":"ü"}')), frameBytes(FRAME.response, QUIET_FLAG, 'id-ü', '{"ok":"ü"}'));
    assert.deepEqual(Buffer.from(encodeFrame(FRAME.invocation, 0, '{"a":"é"}', new Uint8Array(Buffer.from('[1,"ß"]')))), frameBytes(FRAME.invocation, 0, '{"a":"é"}', '[1,"ß"]'));
    assert.deepEqual(Buffer.from(encodeFrame(FRAME.next, 0, '', '')), Buffer.from([FRAME.next, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('reads the channel\'s descriptors: one both ways, or read,write; nothing else', () => {
    assert.deepEqual(channelDescriptors('3'), { read: 3, write: 3 });
    assert.deepEqual(channelDescriptors('3,4'), { read: 3, write: 4 });
    for (const value of ['', 'x', '3,', '3,x', '-1', '3.5', '3,4,5']) assert.equal(channelDescriptors(value), undefined, value);
  });

  it('reads frames cut anywhere, and several frames in one chunk', () => {
    const stream = Buffer.concat([
      frameBytes(FRAME.next, 0, ''),
      frameBytes(FRAME.response, QUIET_FLAG, 'id-ü', '{"a":"é"}'),
      frameBytes(FRAME.initError, 0, 'Runtime.ImportModuleError', '{}'),
    ]);
    const expected: Frame[] = [
      { kind: FRAME.next, flags: 0, head: '', body: Buffer.alloc(0) },
      { kind: FRAME.response, flags: QUIET_FLAG, head: 'id-ü', body: Buffer.from('{"a":"é"}') },
      { kind: FRAME.initError, flags: 0, head: 'Runtime.ImportModuleError', body: Buffer.from('{}') },
    ];
    assert.deepEqual(read([stream]), { frames: expected, invalid: [] });
    assert.deepEqual(read(bytewise(stream)), { frames: expected, invalid: [] });
    assert.deepEqual(read([stream.subarray(0, 13), stream.subarray(13, 40), stream.subarray(40)]), { frames: expected, invalid: [] });
  });

  it('carries a 6 MB body arriving in 64 KB chunks', () => {
    const body = Buffer.alloc(6 * 1024 * 1024, 'abcdefgh');
    const stream = Buffer.concat([frameBytes(FRAME.invocation, 0, '{}', body), frameBytes(FRAME.next, 0, '')]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 65_536) chunks.push(stream.subarray(at, at + 65_536));
    const { frames, invalid } = read(chunks);
    assert.deepEqual(invalid, []);
    assert.equal(frames.length, 2);
    assert.ok(body.equals(frames[0].body as Buffer));
    assert.equal(frames[1].kind, FRAME.next);
  });

  it('skips a body over the limit without keeping it, and reads the frame after it', () => {
    const stream = Buffer.concat([frameBytes(FRAME.response, 0, 'big', Buffer.alloc(5000, 1)), frameBytes(FRAME.error, 0, 'small', '{}')]);
    for (const chunks of [[stream], bytewise(stream), [stream.subarray(0, 14), stream.subarray(14, 3000), stream.subarray(3000)]]) {
      assert.deepEqual(read(chunks, 4096), {
        frames: [
          { kind: FRAME.response, flags: 0, head: 'big', body: undefined },
          { kind: FRAME.error, flags: 0, head: 'small', body: Buffer.from('{}') },
        ],
        invalid: [],
      });
    }
  });

  it('gives up once on bytes that do not start a frame, and reads nothing after them', () => {
    const { frames, invalid } = read([Buffer.from('not a frame\n'), frameBytes(FRAME.next, 0, '')]);
    assert.deepEqual(frames, []);
    assert.equal(invalid.length, 1);
    assert.match(invalid[0], /^bytes 0x6e6f742061206672616d do not start a frame$/);
    const longHead = Buffer.alloc(10);
    longHead[0] = FRAME.response;
    longHead.writeUInt32BE(1024 * 1024, 2);
    assert.equal(read([longHead]).invalid.length, 1, 'a head over 64 KB is not a frame of ours');
  });
});

describe('runtime channel: the Node.js runtime client against a Runtime API server', () => {
  const start = runtimePerTest(true);
  const errorOf = (payload: Buffer) => {
    const body = JSON.parse(payload.toString('utf8')) as { errorType: string; errorMessage: string };
    return [body.errorType, body.errorMessage];
  };

  it('sends a quiet result without markers once nothing was written, and markers after output', async () => {
    const rt = await start('async', 'index.returnsNothing', { [QUIET_RESULTS_ENV]: '1' });
    assert.equal((await rt.invoke({}, { requestId: 'channel-1' })).quiet, undefined, 'the first result flushes what init wrote');
    assert.deepEqual(await rt.invoke({}, { requestId: 'channel-2' }),
      { kind: 'response', payload: Buffer.from('null'), contentType: 'application/json', streamed: false, quiet: true });
    assert.ok(!rt.stdout.includes(`${FLUSH_MARKER}channel-2`));
    const noisy = await start('async', 'index.handler', { [QUIET_RESULTS_ENV]: '1' });
    await noisy.invoke({}, { requestId: 'noisy-1' });
    assert.equal((await noisy.invoke({}, { requestId: 'noisy-2' })).quiet, undefined);
    assert.ok(noisy.stdout.includes(`${FLUSH_MARKER}noisy-2\n`) && noisy.stderr.includes(`${FLUSH_MARKER}noisy-2\n`));
  });

  it('answers first without node:net, loads it while waiting, then runs on a socket; big bodies both ways on each', async () => {
    const rt = await start('async', 'index.loadsNet', { [QUIET_RESULTS_ENV]: '1' });
    const text = 'é'.repeat(1024 * 1024);
    const answer = async (event: object, requestId: string) => JSON.parse((await rt.invoke(event, { requestId })).payload.toString('utf8')) as
      { net: boolean; text?: string; stdout?: boolean[] };
    assert.deepEqual(await answer({ text }, 'first'), { net: false, text }, 'init and the first answer do without node:net: a 2 MB payload both ways');
    assert.ok(rt.stdout.includes(`${FLUSH_MARKER}first\n`) && rt.stderr.includes(`${FLUSH_MARKER}first\n`), 'the first result still flushes');
    assert.deepEqual(await answer({}, 'second'), { net: true }, 'node:net loaded while the runtime waited for its second invocation');
    // From the third on, the socket reads; a 2 MB response is more than the socket takes at once, so its end and the next frame go through its stream.
    for (const requestId of ['socket-1', 'socket-2']) assert.equal((await answer({ text }, requestId)).text, text, 'over the socket');
    for (let n = 0; n < 20; n++) assert.equal((await answer({}, `socket-small-${n}`)).net, true);
    const logged = await answer({ log: true }, 'logs');
    assert.deepEqual([logged.net, logged.stdout], [true, [true, true, true]]);
    assert.match(rt.stdout, /\tINFO\tloading node:net through process.stdout\n/);
    assert.ok(rt.stdout.indexOf('loading node:net') < rt.stdout.indexOf(`${FLUSH_MARKER}logs\n`), 'the line comes before its markers');
    assert.equal((await rt.invoke({}, { requestId: 'quiet' })).quiet, true);
  });

  it('sends an init error with its type, then exits 129', async () => {
    const rt = await start('initThrow', 'index.handler');
    const initError = await rt.initError;
    assert.equal(initError.errorType, 'TypeError');
    assert.deepEqual(errorOf(initError.payload), ['TypeError', 'init exploded']);
    assert.deepEqual(await rt.exited, { code: 129, signal: null });
  });

  it('sends the error of an uncaught exception during an invoke before it exits 129', async () => {
    const rt = await start('async', 'index.uncaughtDuringInvoke');
    const outcome = await rt.invoke({});
    assert.equal(outcome.kind, 'error');
    assert.deepEqual(errorOf(outcome.payload), ['Error', 'async boom']);
    assert.deepEqual(await rt.exited, { code: 129, signal: null });
  });

  it('does not load node:http until a streamed response needs it', async () => {
    const rt = await start('async', 'index.loadsHttp');
    assert.equal((await rt.invoke({})).payload.toString(), 'false');
    const streaming = await start('streaming', 'index.chunks');
    assert.equal((await streaming.invoke({})).payload.toString(), 'hello world{"n":1}', 'a streamed response goes over HTTP');
    assert.equal((await streaming.invoke({})).payload.toString(), 'hello world{"n":1}');
  });

  it('ends an async handler that never settles with Runtime.NodeJsExit once its event loop is empty', async () => {
    const rt = await start('neverSettles', 'index.handler');
    const outcome = await rt.invoke({});
    assert.equal(outcome.kind, 'error');
    assert.equal(errorOf(outcome.payload)[0], 'Runtime.NodeJsExit');
    assert.equal((await rt.invoke({})).kind, 'error', 'and serves the next invocation');
  });
});

describe('runtime channel: the Node.js runtime client through the engine (process backend)', () => {
  const engine = new EngineUnderTest();
  const channelSpec = (name: string, handler: string) => engineSpec(name, `handlers.${handler}`, { timeoutSeconds: 30 }, 'channel');

  before(() => {
    engine.start(new ProcessBackend(), [
      channelSpec('Echo', 'echo'),
      channelSpec('Sized', 'sized'),
      channelSpec('WritesToChannel', 'writesToChannel'),
      channelSpec('ClosesChannel', 'closesChannel'),
      channelSpec('DiesMidFrame', 'diesMidFrame'),
      channelSpec('ClosesStdio', 'closesStdio'),
      channelSpec('Logs', 'logs'),
      channelSpec('Context', 'context'),
      channelSpec('ChildSeesChannel', 'childSeesChannel'),
      engineSpec('Grows', 'handlers.grows', { timeoutSeconds: 30, memorySizeMB: 512 }, 'channel'),
      engineSpec('PyEcho', 'handlers.echo', {}, 'channel', 'python3.11'),
      engineSpec('PyBytes', 'handlers.raw_bytes', {}, 'channel', 'python3.11'),
      engineSpec('PyWritesToChannel', 'handlers.writes_to_channel', {}, 'channel', 'python3.11'),
      engineSpec('PyLoadsHttp', 'handlers.loads_http_client', {}, 'channel', 'python3.11'),
      engineSpec('PyLoadedModules', 'handlers.loaded_modules', {}, 'channel', 'python3.11'),
      engineSpec('PyChildSeesChannel', 'handlers.child_sees_channel', {}, 'channel', 'python3.11'),
    ]);
  });

  after(() => engine.dispose());

  it('carries a 6 MB request and a response at the limit both ways; one byte more is Function.ResponseSizeTooLarge', async () => {
    const text = 'é'.repeat(3 * 1024 * 1024 - 16);
    const echoed = await engine.invoke('Echo', { text });
    assert.equal(echoed.functionError, undefined);
    assert.equal(echoed.contentType, 'application/json', 'as over HTTP');
    assert.equal(json(echoed.payload).text, text);
    // A JSON string of n characters is n + 2 bytes: the limit is 6291556 bytes.
    const atLimit = await engine.invoke('Sized', { bytes: 6 * 1024 * 1024 + 100 - 2 });
    assert.equal(atLimit.functionError, undefined);
    assert.equal(atLimit.payload.length, 6 * 1024 * 1024 + 100);
    const over = await engine.invoke('Sized', { bytes: 6 * 1024 * 1024 + 100 - 1 });
    assert.equal(over.functionError, 'Unhandled');
    assert.equal(json(over.payload).errorType, 'Function.ResponseSizeTooLarge');
    assert.equal(json((await engine.invoke('Echo', { after: 'over' })).payload).after, 'over', 'the environment serves on');
  });

  it('gives the handler the request id, ARN, deadline, client context (non-ASCII too), tenant and trace ids', async () => {
    const clientContext = { custom: { city: 'Zürich ✓' }, env: { platform: 'test' } };
    const result = await engine.invoke('Context', {}, {
      clientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
      tenantId: 'tenant-7',
      traceId: 'Root=1-5e1b4151-5ac6c58f5c7b2d1a3e6f4a2b;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    const context = json(result.payload);
    assert.equal(context.awsRequestId, result.requestId);
    assert.equal(context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:Context');
    assert.deepEqual(context.clientContext, clientContext);
    assert.equal(context.tenantId, 'tenant-7');
    assert.equal(context.traceId, 'Root=1-5e1b4151-5ac6c58f5c7b2d1a3e6f4a2b;Parent=53995c3f42cd8ad8;Sampled=1');
    assert.ok(context.remainingMs > 0 && context.remainingMs <= 30_000, String(context.remainingMs));
  });

  it('keeps each invocation\'s lines between its START and END over many invocations', async () => {
    for (let n = 0; n < 20; n++) {
      const result = await engine.invoke('Logs', { n });
      assert.equal(json(result.payload), n);
      const lines = engine.linesOf(result.requestId);
      assert.match(lines[0], /^START RequestId: /);
      assert.match(lines[1], new RegExp(`\\tINFO\\tline ${n}$`));
      assert.match(lines[2], /^END RequestId: /);
      assert.match(lines[3], /^REPORT RequestId: /);
    }
  });

  it('reports the runtime\'s own peak memory (/proc\'s VmHWM, sent with the result) as Max Memory Used, as it grows', async () => {
    let previous = 0;
    for (const mb of [0, 40, 0, 80]) {
      const result = await engine.invoke('Grows', { mb });
      const peakSeenByHandler = json(result.payload) as number;
      assert.ok(peakSeenByHandler >= previous + mb, `${peakSeenByHandler} MB after ${mb} MB more than ${previous} MB`);
      // The handler read /proc just before its result was sent with getrusage's reading, which may be up to a few hundred kB
      // apart (the kernel's per-CPU counters): the same MB, or the next.
      const maxMemoryUsedMB = result.maxMemoryUsedMB ?? 0;
      assert.ok(Math.abs(maxMemoryUsedMB - peakSeenByHandler) <= 1, `${maxMemoryUsedMB} MB reported, ${peakSeenByHandler} MB seen`);
      const report = engine.linesOf(result.requestId).find((line) => line.startsWith('REPORT ')) ?? '';
      assert.match(report, new RegExp(`\\tMemory Size: 512 MB\\tMax Memory Used: ${maxMemoryUsedMB} MB\\t`));
      previous = peakSeenByHandler;
    }
  });

  it('resets the environment when the function writes to descriptor 3, naming it', async () => {
    await failsOnEachNewRuntime('WritesToChannel', (error) => {
      assert.equal(error.errorType, 'Runtime.Unknown');
      assert.match(error.errorMessage, /runtime channel carried something other than frames .*file descriptor 3/);
    });
  });

  it('reports a runtime that closes descriptor 3 as Runtime.ExitError', async () => {
    await failsOnEachNewRuntime('ClosesChannel', (error) => assert.equal(error.errorType, 'Runtime.ExitError'));
  });

  it('reports a runtime that dies in the middle of a frame as Runtime.ExitError with its exit code', async () => {
    await failsOnEachNewRuntime('DiesMidFrame', (error) => {
      assert.equal(error.errorType, 'Runtime.ExitError');
      assert.match(error.errorMessage, /exit status 3/);
    });
  });

  it('serves the Python runtime client over the channel too: JSON and bytes results, a function writing to descriptor 3', async () => {
    const echoed = await engine.invoke('PyEcho', { big: 'é'.repeat(100_000) });
    assert.deepEqual(json(echoed.payload), { event: { big: 'é'.repeat(100_000) }, channel_variable: null });
    assert.equal(echoed.contentType, 'application/json');
    const bytes = await engine.invoke('PyBytes');
    assert.deepEqual(bytes.payload, Buffer.from([0, 0x72, 0x61, 0x77, 0xff]));
    assert.equal(bytes.contentType, 'application/unknown');
    await failsOnEachNewRuntime('PyWritesToChannel', (error) => {
      assert.equal(error.errorType, 'Runtime.Unknown');
      assert.match(error.errorMessage, /file descriptor 3/);
    });
  });

  it('reads the memory of a runtime client that sends no peak with its results (Python) from /proc', async () => {
    const result = await engine.invoke('PyEcho', { n: 1 });
    assert.ok((result.maxMemoryUsedMB ?? 0) > 5, `${result.maxMemoryUsedMB} MB`);
  });

  it('keeps the channel from the processes a function starts (Node.js and Python, every descriptor inherited)', async () => {
    assert.equal(json((await engine.invoke('ChildSeesChannel')).payload), '');
    assert.equal(json((await engine.invoke('PyChildSeesChannel')).payload), '');
    assert.equal(json((await engine.invoke('PyEcho', { after: 'a child' })).payload).event.after, 'a child', 'and the channel still works');
  });

  it('does not load http.client in the Python runtime client over the channel', async () => {
    assert.equal(json((await engine.invoke('PyLoadsHttp')).payload), false);
  });

  it('does not import uuid or inspect in the Python runtime client (each costs every cold start)', async () => {
    assert.deepEqual(json((await engine.invoke('PyLoadedModules', { names: ['uuid', 'inspect', 'json'] })).payload),
      { uuid: false, inspect: false, json: true });
  });

  it('answers a function that closed its stdout and stderr', async () => {
    const result = await engine.invoke('ClosesStdio');
    assert.equal(result.functionError, undefined);
    assert.equal(json(result.payload), 'quiet now');
    assert.equal(json((await engine.invoke('ClosesStdio')).payload), 'quiet now');
  });

  /** Two invocations fail as `check` expects, the second on a new runtime (the first one's environment was reset). */
  async function failsOnEachNewRuntime(functionName: string, check: (error: { errorType: string; errorMessage: string }) => void): Promise<void> {
    const runtimes: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await engine.invoke(functionName);
      runtimes.push(engine.displayIdOf(functionName));
      assert.equal(result.functionError, 'Unhandled');
      check(json(result.payload));
    }
    assert.ok(runtimes[0] !== undefined && runtimes[0] !== runtimes[1], `a new runtime served the second invocation: ${runtimes.join(', ')}`);
  }
});
