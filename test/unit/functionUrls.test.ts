// Function URLs over real HTTP on 127.0.0.1: the 2.0 event, the response mapping AWS recorded, streaming, errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFunctionUrls, type FunctionUrls } from '../../src/core/api/functionUrls';
import { ProcessBackend } from '../../src/core/instances/process/processBackend';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';
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
      { ...functionFromHandler({ handler: 'index.handler', runtime: 'nodejs20.x', codeDir }), logicalId: 'NoUrl', functionName: 'NoUrl' },
    ]);
    service = new LambdaService(registry, { backend: new ProcessBackend(), stateDir });
    urls = await startFunctionUrls(service, { basePort: 0 });
    buffered = urls.endpoints.find((e) => e.functionName === 'Buffered')?.url as string;
    streamed = urls.endpoints.find((e) => e.functionName === 'Streamed')?.url as string;
  });

  after(async () => {
    await urls.close();
    await service.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('serves only functions with a FunctionUrlConfig, on 127.0.0.1', () => {
    assert.deepEqual(urls.endpoints.map((e) => e.functionName).sort(), ['Buffered', 'Streamed']);
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

  it('answers 502 when the function fails', async () => {
    const reply = await call(`${buffered}?mode=throw`);
    assert.equal(reply.status, 502);
    assert.deepEqual(JSON.parse(reply.body.toString()), { Message: 'Internal Server Error' });
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
