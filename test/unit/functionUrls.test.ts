// Function URLs over real HTTP on 127.0.0.1: the 2.0 event, the response mapping AWS recorded, streaming, errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFunctionUrls, type FunctionUrls } from '../../src/core/api/functionUrls';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
import type { LogRecord } from '../../src/core/logs/logRecord';
import { LambdaService } from '../../src/core/service/lambdaService';
import { functionFromHandler } from '../../src/core/template';

const codeDir = path.resolve(__dirname, '../../../test/fixtures/urls');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('function URLs', () => {
  let stateDir: string;
  let service: LambdaService;
  let urls: FunctionUrls;
  let buffered: string;
  let streamed: string;
  let streamedPlain: string;
  const logs: LogRecord[] = [];

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'lwb-urls-'));
    const base = (name: string, handler: string, invokeMode: 'BUFFERED' | 'RESPONSE_STREAM') => ({
      ...functionFromHandler({ handler, runtime: 'nodejs20.x', codeDir }),
      logicalId: name,
      functionName: name,
      functionUrl: { authType: 'NONE' as const, invokeMode },
    });
    const registry = FunctionRegistry.fromSpecs([
      base('Buffered', 'index.handler', 'BUFFERED'),
      base('Streamed', 'index.stream', 'RESPONSE_STREAM'),
      base('StreamedPlain', 'index.handler', 'RESPONSE_STREAM'),
      { ...functionFromHandler({ handler: 'index.handler', runtime: 'nodejs20.x', codeDir }), logicalId: 'NoUrl', functionName: 'NoUrl' },
    ]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir });
    service.logs.add({ write: (record) => void logs.push(record) });
    urls = await startFunctionUrls(service, { basePort: 0 });
    buffered = urls.endpoints.find((e) => e.functionName === 'Buffered')?.url as string;
    streamed = urls.endpoints.find((e) => e.functionName === 'Streamed')?.url as string;
    streamedPlain = urls.endpoints.find((e) => e.functionName === 'StreamedPlain')?.url as string;
  });

  after(async () => {
    await urls.close();
    await service.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('serves only functions with a FunctionUrlConfig, on 127.0.0.1', () => {
    assert.deepEqual(urls.endpoints.map((e) => e.functionName).sort(), ['Buffered', 'Streamed', 'StreamedPlain']);
    for (const endpoint of urls.endpoints) assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('sends the payload format 2.0 event', async () => {
    const reply = await call(`${buffered}some/path?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'x-multi': 'a' },
      body: '{"in":true}',
    });
    assert.equal(reply.status, 200);
    const event = JSON.parse(reply.body.toString());
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/some/path');
    assert.equal(event.rawQueryString, 'x=1&x=2&y=z');
    assert.deepEqual(event.queryStringParameters, { x: '1,2', y: 'z' });
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-multi'], 'a');
    assert.equal(event.body, '{"in":true}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.http.path, '/some/path');
    assert.equal(event.requestContext.stage, '$default');
    assert.match(event.requestContext.domainName, /^[a-z0-9]+\.lambda-url\.us-east-1\.on\.aws$/);
    assert.match(event.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  it('base64-encodes binary request bodies', async () => {
    const reply = await call(buffered, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'raw' });
    const event = JSON.parse(reply.body.toString());
    assert.equal(event.isBase64Encoded, true);
    assert.equal(Buffer.from(event.body, 'base64').toString(), 'raw');
  });

  it('maps responses as AWS recorded them: strings unquoted, other JSON compact, statusCode forms as given', async () => {
    const expectations: Array<[string, number, string]> = [
      ['string', 200, 'hello'],
      ['object', 200, '{"hello":"world"}'],
      ['array', 200, '["hello",3,true]'],
      ['number', 200, '3'],
    ];
    for (const [mode, status, body] of expectations) {
      const reply = await call(`${buffered}?mode=${mode}`);
      assert.equal(reply.status, status, mode);
      assert.equal(reply.headers['content-type'], 'application/json', mode);
      assert.equal(reply.body.toString(), body, mode);
    }
    const full = await call(`${buffered}?mode=full`);
    assert.equal(full.status, 201);
    assert.equal(full.headers['x-custom'], 'yes');
    assert.deepEqual(full.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(full.body.toString(), 'body123');
    const binary = await call(`${buffered}?mode=binary`);
    assert.equal(binary.headers['content-type'], 'image/png');
    assert.deepEqual([...binary.body], [0, 1, 2, 255]);
  });

  it('refuses requests addressed to a foreign Host name (DNS rebinding)', async () => {
    const reply = await call(buffered, { headers: { host: 'attacker.example:80' } });
    assert.equal(reply.status, 403);
    assert.match(JSON.parse(reply.body.toString()).Message, /Host header 'attacker\.example:80' is not allowed/);
    const local = await call(buffered.replace('127.0.0.1', 'localhost') + '?mode=string');
    assert.equal(local.body.toString(), 'hello');
  });

  it('answers 502 with the plain text Internal Server Error when the function fails', async () => {
    const reply = await call(`${buffered}?mode=throw`);
    assert.equal(reply.status, 502);
    assert.match(String(reply.headers['content-type']), /^text\/plain/);
    assert.equal(reply.body.toString(), 'Internal Server Error');
  });

  it('passes the path as received: an invalid percent-escape neither fails the request nor stops the server', async () => {
    const reply = await call(`${buffered}pa2%Fth/1?q=%E0%A4%A`);
    assert.equal(reply.status, 200);
    const event = JSON.parse(reply.body.toString());
    assert.equal(event.rawPath, '/pa2%Fth/1');
    assert.equal(event.requestContext.http.path, '/pa2%Fth/1');
    assert.equal(event.rawQueryString, 'q=%E0%A4%A');
    const encoded = JSON.parse((await call(`${buffered}a%20b/%2F`)).body.toString());
    assert.equal(encoded.rawPath, '/a%20b/%2F');
  });

  it('drops hop-by-hop headers from the event', async () => {
    const reply = await call(buffered, { headers: { connection: 'keep-alive, x-private-hop', 'keep-alive': 'timeout=5', 'x-private-hop': '1', 'x-kept': 'yes' } });
    const event = JSON.parse(reply.body.toString());
    for (const name of ['connection', 'keep-alive', 'x-private-hop', 'transfer-encoding']) assert.equal(event.headers[name], undefined, name);
    assert.equal(event.headers['x-kept'], 'yes');
  });

  it('survives a chunked request body that the client aborts', async () => {
    const { port } = new URL(buffered);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{"a":`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on('error', reject);
    });
    // The server (and this process) is still there and answers the next request.
    const reply = await call(`${buffered}?mode=string`);
    assert.equal(reply.body.toString(), 'hello');
  });

  it('names the invocation in x-amzn-RequestId on every response: the id of the END line and requestContext.requestId', async () => {
    for (const [url, status] of [[`${buffered}?mode=string`, 200], [`${buffered}?mode=throw`, 502], [`${buffered}`, 200], [streamed, 202], [`${streamedPlain}?mode=string`, 200]] as const) {
      const reply = await call(url);
      assert.equal(reply.status, status, url);
      const id = reply.headers['x-amzn-requestid'];
      assert.match(String(id), /^[0-9a-f-]{36}$/, url);
      assert.ok(logs.some((r) => r.text === `END RequestId: ${id}`), `END line of ${id} (${url})`);
      if (url === buffered) assert.equal(JSON.parse(reply.body.toString()).requestContext.requestId, id);
    }
    const refused = await call(buffered, { headers: { host: 'attacker.example' } });
    assert.match(String(refused.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  });

  it('streams the JSON of the return value when a RESPONSE_STREAM handler is not streamified (no statusCode mapping)', async () => {
    const full = await call(`${streamedPlain}?mode=full`);
    assert.equal(full.status, 200);
    assert.equal(full.headers['x-custom'], undefined);
    assert.deepEqual(JSON.parse(full.body.toString()), { statusCode: 201, headers: { 'X-Custom': 'yes' }, cookies: ['a=1', 'b=2'], body: 'body123' });
    const text = await call(`${streamedPlain}?mode=string`);
    assert.equal(text.body.toString(), '"hello"');
  });

  it('streams RESPONSE_STREAM functions with the status and headers of their prelude', async () => {
    const reply = await call(streamed);
    assert.equal(reply.status, 202);
    assert.equal(reply.headers['content-type'], 'text/plain');
    assert.equal(reply.headers['x-streamed'], '1');
    assert.equal(reply.headers['transfer-encoding'], 'chunked');
    assert.equal(reply.body.toString(), 'first second');
  });
});
