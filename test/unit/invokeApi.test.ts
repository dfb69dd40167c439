// Invoke API tests: a real LambdaService on the process backend behind the server, driven by the AWS SDK v3 client and raw HTTP.
import {
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { startInvokeApi } from '../../src/core/api/invokeApi';
import { isWorkbenchError } from '../../src/core/common/errors';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { inProcessEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/cli');
const ACCOUNT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

describe('Invoke API', () => {
  const endpoint = inProcessEndpoint(join(FIXTURE, 'template.yaml'));
  const logs: LogRecord[] = [];
  const logWaiters: Array<() => void> = [];

  before(() => {
    endpoint.service.logs.add({
      write: (record) => {
        logs.push(record);
        for (const wake of logWaiters.splice(0)) wake();
      },
    });
  });

  const text = (output: InvokeCommandOutput) => Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8');

  it('answers RequestResponse with the exact payload, 200 and the executed version', async () => {
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: Buffer.from('{"a": [1, 2], "b": "x"}') }));
    assert.equal(output.StatusCode, 200);
    assert.equal(text(output), '{"a":[1,2],"b":"x"}');
    assert.equal(output.ExecutedVersion, '$LATEST');
    assert.equal(output.FunctionError, undefined);
    assert.equal(output.LogResult, undefined);
    assert.match(output.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('accepts full and partial ARNs, name:qualifier and the Qualifier parameter', async () => {
    for (const input of [
      { FunctionName: `${ACCOUNT_ARN}:EchoFunction` },
      { FunctionName: '123456789012:function:EchoFunction' },
      { FunctionName: 'EchoFunction:$LATEST' },
      { FunctionName: 'EchoFunction', Qualifier: '$LATEST' },
    ]) {
      const output = await endpoint.client.send(new InvokeCommand({ ...input, Payload: Buffer.from('{"ok":true}') }));
      assert.equal(text(output), '{"ok":true}', JSON.stringify(input));
    }
  });

  it('returns the last 4 KB of the log, base64, for LogType Tail', async () => {
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'GreetFunction', LogType: 'Tail', Payload: Buffer.from('{}') }));
    const id = output.$metadata.requestId;
    const log = Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, new RegExp(`^START RequestId: ${id} Version: \\$LATEST$`, 'm'));
    assert.match(log, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\tgreeting hello$`, 'm'));
    assert.match(log, new RegExp(`^END RequestId: ${id}$`, 'm'));
    assert.match(log, new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\t`, 'm'));
  });

  it('passes X-Amz-Client-Context to the function', async () => {
    const clientContext = { custom: { tenant: 't-1' }, env: { platform: 'test' } };
    const output = await endpoint.client.send(new InvokeCommand({
      FunctionName: 'GreetFunction',
      ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
    }));
    assert.deepEqual(JSON.parse(text(output)).clientContext, clientContext);
  });

  it('reports a function error with 200, X-Amz-Function-Error: Unhandled and the error object', async () => {
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'FailFunction', Payload: Buffer.from('{}') }));
    assert.equal(output.StatusCode, 200);
    assert.equal(output.FunctionError, 'Unhandled');
    const error = JSON.parse(text(output));
    assert.equal(error.errorType, 'Error');
    assert.equal(error.errorMessage, 'boom');
    assert.ok(Array.isArray(error.trace));
  });

  it('queues Event invocations (202, empty body) and runs them', { timeout: 60_000 }, async () => {
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: Buffer.from('{"async":1}') }));
    assert.equal(output.StatusCode, 202);
    assert.equal(text(output), '');
    const id = output.$metadata.requestId;
    while (!logs.some((r) => r.requestId === id && r.text.startsWith(`REPORT RequestId: ${id}`))) {
      await new Promise<void>((wake) => logWaiters.push(wake));
    }
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'DryRun' }));
    assert.equal(output.StatusCode, 204);
    assert.equal(text(output), '');
    assert.ok(!logs.some((r) => r.requestId === output.$metadata.requestId));
  });

  it('throws ResourceNotFoundException for an unknown function, with the qualified ARN', async () => {
    await assert.rejects(endpoint.client.send(new InvokeCommand({ FunctionName: 'Nope' })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, `Function not found: ${ACCOUNT_ARN}:Nope:$LATEST`);
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it('throws RequestTooLargeException over 6 MB sync and 1 MB async', async () => {
    const sync = Buffer.from(`"${'x'.repeat(6_291_456 - 1)}"`);
    await assert.rejects(endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: sync })), (error: Error) => {
      assert.equal(error.name, 'RequestTooLargeException');
      assert.equal(error.message, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
      return true;
    });
    const async = Buffer.from(`"${'x'.repeat(1_048_576 - 1)}"`);
    await assert.rejects(endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: async })), (error: Error) => {
      assert.equal(error.name, 'RequestTooLargeException');
      assert.equal(error.message, 'Request must be smaller than 1048576 bytes for the InvokeFunction operation');
      return true;
    });
  });

  it('accepts a sync payload of exactly 6 MB', async () => {
    const payload = Buffer.from(`"${'y'.repeat(6_291_456 - 2)}"`);
    const output = await endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: payload }));
    assert.equal(output.Payload?.length, payload.length);
  });

  it('throws InvalidRequestContentException for a body that is not JSON', async () => {
    await assert.rejects(endpoint.client.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: Buffer.from('not json') })), (error: Error) => {
      assert.equal(error.name, 'InvalidRequestContentException');
      assert.match(error.message, /^Could not parse request body into json: /);
      return true;
    });
  });

  it('lists and describes functions for ListFunctions and GetFunction', async () => {
    const list = await endpoint.client.send(new ListFunctionsCommand({}));
    const names = (list.Functions ?? []).map((f) => f.FunctionName).sort();
    assert.deepEqual(names, ['EchoFunction', 'FailFunction', 'GreetFunction', 'PidFunction']);
    const echo = await endpoint.client.send(new GetFunctionCommand({ FunctionName: 'EchoFunction' }));
    assert.equal(echo.Configuration?.FunctionArn, `${ACCOUNT_ARN}:EchoFunction`);
    assert.equal(echo.Configuration?.Runtime, 'nodejs20.x');
    assert.equal(echo.Configuration?.Handler, 'handlers.echo');
    assert.equal(echo.Configuration?.Timeout, 20);
    await assert.rejects(endpoint.client.send(new GetFunctionCommand({ FunctionName: 'Nope' })), (error: Error) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.message, `Function not found: ${ACCOUNT_ARN}:Nope`);
      return true;
    });
  });

  it('refuses requests whose Host header is not 127.0.0.1 or localhost with the port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${endpoint.api.port}`, `127.0.0.1:${endpoint.api.port + 1}`]) {
      const response = await rawRequest(endpoint.api.port, 'POST', '/2015-03-31/functions/EchoFunction/invocations', host, '{}');
      assert.equal(response.status, 403, host);
      assert.equal(response.headers['x-amzn-errortype'], 'AccessDeniedException');
      assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
      assert.equal(JSON.parse(response.body).Type, 'User');
    }
    const allowed = await rawRequest(endpoint.api.port, 'POST', '/2015-03-31/functions/EchoFunction/invocations', `localhost:${endpoint.api.port}`, '{"h":1}');
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body, '{"h":1}');
  });

  it('answers unknown routes with 404 UnknownOperationException', async () => {
    for (const [method, path] of [['GET', '/'], ['POST', '/2015-03-31/functions/EchoFunction/nope'], ['PATCH', '/2015-03-31/functions/EchoFunction']]) {
      const response = await rawRequest(endpoint.api.port, method, path, `127.0.0.1:${endpoint.api.port}`, '');
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException');
      const body = JSON.parse(response.body);
      assert.equal(body.Type, 'User');
      assert.equal(body.Message, body.message);
    }
  });

  it('rejects an invalid X-Amz-Invocation-Type', async () => {
    const response = await rawRequest(endpoint.api.port, 'POST', '/2015-03-31/functions/EchoFunction/invocations', `127.0.0.1:${endpoint.api.port}`, '{}', {
      'X-Amz-Invocation-Type': 'Sometimes',
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers['x-amzn-errortype'], 'ValidationException');
  });

  it('fails with PORT_IN_USE naming the port when the port is taken', async () => {
    await assert.rejects(startInvokeApi(endpoint.service, { port: endpoint.api.port, localCodeRoots: [] }), (error: unknown) => {
      assert.ok(isWorkbenchError(error, 'PORT_IN_USE'));
      assert.match(error.describe(), new RegExp(`Port ${endpoint.api.port} .*already in use.*--port`));
      return true;
    });
  });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function rawRequest(port: number, method: string, path: string, host: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, Host: host, 'Content-Length': Buffer.byteLength(body) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
