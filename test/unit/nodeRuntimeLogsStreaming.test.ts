// The Node bootstrap's log formats (Text, JSON, level filter), the flush marker, and response streaming.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BREAK_ON_HANDLER_ENV, FLUSH_MARKER } from '../../src/shared/runtimeProtocol';
import { json, RuntimeUnderTest, runtimePerTest } from './nodeRuntimeHarness';

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

describe('Node runtime: logs and streaming', () => {
  const start = runtimePerTest();

  it('writes text lines with time, request id and level, \\n turned into \\r, then the flush marker on both streams', async () => {
    const rt = await start('logging', 'index.handler');
    assert.equal(json(await rt.invoke({}, { requestId: 'log-1' })), 'logged');
    const lines = rt.stdout.split('\n');
    const expected: Array<[string, string]> = [
      ['undefined', 'INFO\tat init'],
      ['log-1', 'TRACE\ttrace line'],
      ['log-1', 'DEBUG\tdebug line'],
      ['log-1', 'INFO\tinfo line { a: 1 }'],
      ['log-1', 'INFO\ttwo\rlines'],
      ['log-1', 'WARN\twarn line'],
    ];
    expected.forEach(([id, rest], index) => assert.match(lines[index], new RegExp(`^${ISO}\\t${id}\\t${rest}$`), lines[index]));
    assert.match(lines[6], new RegExp(`^${ISO}\\tlog-1\\tERROR\\terror line Error: logged error\\r    at `));
    assert.match(lines[7], /\tFATAL\tfatal line$/);
    assert.match(lines[8], /\tINFO\t\{ structured: true \}$/);
    assert.match(lines[9], /\tINFO\tlast line$/);
    assert.equal(lines[10], `${FLUSH_MARKER}log-1`, 'the marker follows the last line of the invocation');
    assert.ok(rt.stderr.includes(`${FLUSH_MARKER}log-1\n`));
  });

  it('writes JSON lines with AWS_LAMBDA_LOG_FORMAT=json and drops levels under AWS_LAMBDA_LOG_LEVEL', async () => {
    const rt = await start('logging', 'index.handler', { AWS_LAMBDA_LOG_FORMAT: 'json', AWS_LAMBDA_LOG_LEVEL: 'warn' });
    await rt.invoke({}, { requestId: 'json-1', tenantId: 'tenant-9' });
    const records = rt.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(records.map((record) => record.level), ['WARN', 'ERROR', 'FATAL']);
    assert.deepEqual(Object.keys(records[0]), ['timestamp', 'level', 'requestId', 'tenantId', 'message']);
    assert.match(records[0].timestamp as string, new RegExp(`^${ISO}$`));
    assert.deepEqual([records[0].requestId, records[0].tenantId, records[0].message], ['json-1', 'tenant-9', 'warn line']);
    assert.equal(records[1].errorType, 'Error');
    assert.equal(records[1].errorMessage, 'logged error');
    assert.ok(Array.isArray(records[1].stackTrace));
  });

  it('keeps a single JSON argument as JSON and logs errors as objects in JSON format', async () => {
    const rt = await start('logging', 'index.handler', { AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    await rt.invoke({}, { requestId: 'json-2' });
    const records = rt.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(records[0].requestId, undefined, 'init lines carry no request id');
    assert.deepEqual(records.find((record) => typeof record.message === 'object')?.message, { structured: true });
    assert.equal(records.length, 10);
    const failing = await RuntimeUnderTest.start('async', 'index.throws', { AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    try {
      await failing.invoke({});
      const error = JSON.parse(failing.stdout.split('\n')[0]) as { level: string; message: Record<string, unknown> };
      assert.equal(error.level, 'ERROR');
      assert.deepEqual([error.message.errorType, error.message.errorMessage], ['Error', 'handler failed']);
    } finally {
      await failing.stop();
    }
  });

  it('streams chunks with the content type the handler set', async () => {
    const rt = await start('streaming', 'index.chunks');
    const chunks: string[] = [];
    const outcome = await rt.invoke({}, { requestId: 'stream-1' }, { onChunk: (chunk) => chunks.push(chunk.toString()) });
    assert.deepEqual(outcome, { kind: 'response', payload: Buffer.from('hello world{"n":1}'), contentType: 'text/plain', streamed: true });
    assert.equal(chunks.join(''), 'hello world{"n":1}');
    assert.ok(rt.stdout.includes(`${FLUSH_MARKER}stream-1\n`));
    assert.equal((await rt.invoke({})).payload.toString(), 'hello world{"n":1}', 'the runtime serves the next streamed invocation');
  });

  it('writes the HTTP-integration prelude and 8 NUL bytes before the body', async () => {
    const rt = await start('streaming', 'index.http');
    const outcome = await rt.invoke({});
    assert.equal(outcome.kind === 'response' && outcome.contentType, 'application/vnd.awslambda.http-integration-response');
    assert.deepEqual(outcome.payload, Buffer.concat([Buffer.from('{"statusCode":201,"headers":{"a":"b"}}'), Buffer.alloc(8), Buffer.from('body')]));
  });

  it('reports an error in mid-stream through the trailers', async () => {
    const rt = await start('streaming', 'index.midStreamError');
    const outcome = await rt.invoke({});
    assert.equal(outcome.kind === 'error' && outcome.errorType, 'Error');
    assert.deepEqual(Object.entries(json(outcome) as object).slice(0, 2), [['errorType', 'Error'], ['errorMessage', 'stream broke']]);
  });

  it('Runtime.InvalidStreamingOperation for a content type set after the first write', async () => {
    const rt = await start('streaming', 'index.lateContentType');
    const outcome = await rt.invoke({});
    assert.equal(outcome.kind === 'error' && outcome.errorType, 'Runtime.InvalidStreamingOperation');
    assert.equal((json(outcome) as { errorMessage: string }).errorMessage, 'Cannot set content-type, too late.');
  });

  it('fails streaming handlers that are not async or do not finish the stream', async () => {
    const rt = await start('streaming', 'index.notAsync');
    assert.deepEqual(json(await rt.invoke({})), { errorType: 'string', errorMessage: 'Streaming does not support non-async handlers.', trace: [] });
    await rt.stop();
    const unfinished = await start('streaming', 'index.unfinished');
    assert.deepEqual(json(await unfinished.invoke({})), { errorType: 'string', errorMessage: 'Response stream is not finished.', trace: [] });
  });

  it(`runs the handler normally with ${BREAK_ON_HANDLER_ENV}=1 when no debugger is attached`, async () => {
    const rt = await start('async', 'index.returnsNothing', { [BREAK_ON_HANDLER_ENV]: '1' });
    assert.equal((await rt.invoke({})).payload.toString(), 'null');
    assert.equal((await rt.invoke({})).payload.toString(), 'null');
  });
});
