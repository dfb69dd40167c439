// InvokeWithResponseStream (the SDK reading the event stream) and the legacy InvokeAsync against a real `lambda-workbench start`.
import {
  InvokeAsyncCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { endpointOnFixture, failure } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaStreaming');

interface ReadStream {
  chunks: string[];
  complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
  events: number;
}

/** Reads the whole EventStream as the SDK decodes it. */
async function readStream(output: InvokeWithResponseStreamCommandOutput): Promise<ReadStream> {
  const read: ReadStream = { chunks: [], complete: undefined, events: 0 };
  for await (const event of output.EventStream ?? []) {
    read.events++;
    if (event.PayloadChunk) read.chunks.push(Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'));
    if (event.InvokeComplete) read.complete = event.InvokeComplete;
  }
  return read;
}

describe('Lambda API: InvokeWithResponseStream and InvokeAsync (SDK against lambda-workbench start)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('streams a streamified handler\'s writes as PayloadChunk events, then an empty InvokeComplete', { timeout: 60_000 }, async () => {
    const output = await endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Streamed', Payload: Buffer.from('{"words":["one ","two ","three"]}') }));
    assert.equal(output.StatusCode, 200);
    assert.equal(output.ExecutedVersion, '$LATEST');
    const read = await readStream(output);
    assert.equal(read.chunks.join(''), 'one two three');
    assert.ok(read.chunks.length >= 1);
    assert.deepEqual(read.complete, {});
    assert.equal(read.events, read.chunks.length + 1);
  });

  it('runs a version through its alias, names it in ExecutedVersion, and returns the log tail with LogType Tail', { timeout: 60_000 }, async () => {
    const output = await endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Streamed', Qualifier: 'live', LogType: 'Tail' }));
    assert.equal(output.ExecutedVersion, '1');
    const read = await readStream(output);
    assert.equal(read.chunks.join(''), 'Helloserverlessworld');
    const log = Buffer.from(read.complete?.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, /^END RequestId: [0-9a-f-]{36}$/m);
    assert.match(log, /Version: 1/);
  });

  it('sends a buffered handler\'s whole response as one chunk', { timeout: 60_000 }, async () => {
    const read = await readStream(await endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Buffered', Payload: Buffer.from('{"a":1}') })));
    assert.deepEqual(read.chunks.map((chunk) => JSON.parse(chunk)), [{ buffered: true, event: { a: 1 } }]);
    assert.deepEqual(read.complete, {});
  });

  it('reports a function error in InvokeComplete (ErrorCode, ErrorDetails), after what was streamed before it', { timeout: 60_000 }, async () => {
    const failed = await readStream(await endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Failing' })));
    assert.deepEqual(failed.chunks, []);
    assert.deepEqual(failed.complete, { ErrorCode: 'Error', ErrorDetails: 'boom' });
    const broken = await readStream(await endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'MidStreamError' })));
    assert.equal(broken.chunks.join(''), 'partial');
    assert.equal(broken.complete?.ErrorCode, 'Error');
    assert.equal(broken.complete?.ErrorDetails, 'stream broke');
  });

  it('answers what fails before the function runs as an ordinary API error', async () => {
    const missing = await failure(endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    assert.equal(missing.message, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope:$LATEST');
    const badType = await failure(endpoint.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'Streamed', InvocationType: 'Event' as 'DryRun' })));
    assert.equal(badType.name, 'ValidationException');
    assert.equal(badType.message, "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]");
  });

  it('queues InvokeAsync as an asynchronous invocation: 202 with Status 202, and the function runs', { timeout: 60_000 }, async () => {
    const output = await endpoint.client.send(new InvokeAsyncCommand({ FunctionName: 'Logged', InvokeArgs: Buffer.from('{"legacy":true}') }));
    assert.equal(output.Status, 202);
    const requestId = output.$metadata.requestId ?? '';
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    // `start` writes the functions' log lines to stderr.
    const deadline = Date.now() + 50_000;
    while (!endpoint.output().stderr.includes(`REPORT RequestId: ${requestId}`)) {
      assert.ok(Date.now() < deadline, `no REPORT for ${requestId}:\n${endpoint.output().stderr}`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
    assert.match(endpoint.output().stderr, new RegExp(`${requestId}\\tINFO\\tasync event {"legacy":true}`));
    const missing = await failure(endpoint.client.send(new InvokeAsyncCommand({ FunctionName: 'Nope', InvokeArgs: Buffer.from('{}') })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });
});
