// Lambda API function URL configs through the AWS SDK v3 client against `start`, and the URLs they serve over real HTTP (CORS, AWS_IAM with SigV4).
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { endpointOnFixture, failure, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/lambdaApi');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request to `url` signed as the AWS SDKs sign function URL calls (SigV4, service lambda). */
async function signedCall(url: string, secretAccessKey: string, body: string): Promise<Reply> {
  const target = new URL(url);
  const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey }, region: 'us-east-1', service: 'lambda', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: '/orders/42',
    query: { view: 'full' },
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  return call(`${target.origin}/orders/42?view=full`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
}

function startLines(endpoint: StartedEndpoint): number {
  return endpoint.output().stderr.split('\n').filter((line) => line.startsWith('START RequestId:')).length;
}

describe('Lambda API: function URL configs (SDK against lambda-workbench start, real HTTP to the URLs)', () => {
  const endpoint = endpointOnFixture(FIXTURE);

  it('creates a URL that serves at once, answers CORS preflights itself, and refuses a second one', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    const created = await client.send(new CreateFunctionUrlConfigCommand({
      FunctionName: 'TemplateFunction',
      AuthType: 'NONE',
      Cors: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['POST'], AllowHeaders: ['x-custom'], MaxAge: 60 },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FunctionUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(created.FunctionArn, `${ARN}:TemplateFunction`);
    assert.equal(created.AuthType, 'NONE');
    assert.equal(created.InvokeMode, 'BUFFERED');
    assert.deepEqual(created.Cors?.AllowOrigins, ['https://app.example.com']);
    assert.match(created.CreationTime ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    const served = await call(created.FunctionUrl as string, { headers: { origin: 'https://app.example.com' } });
    assert.equal(served.status, 200);
    assert.deepEqual(JSON.parse(served.body), { code: 'template', version: '$LATEST' });
    assert.equal(served.headers['access-control-allow-origin'], 'https://app.example.com');

    const invocations = startLines(endpoint);
    const preflight = await call(created.FunctionUrl as string, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(preflight.headers['access-control-allow-methods'], 'POST');
    assert.equal(preflight.headers['access-control-max-age'], '60');
    assert.equal(startLines(endpoint), invocations, 'a preflight does not invoke the function');

    const again = await failure(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'TemplateFunction', AuthType: 'NONE' })));
    assert.equal(again.name, 'ResourceConflictException');
    assert.equal(again.$metadata?.httpStatusCode, 409);
    assert.equal(again.message,
      `Failed to create function url config for [functionArn = ${ARN}:TemplateFunction]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  });

  it('enforces AWS_IAM: unsigned and wrongly signed requests get 403, a SigV4-signed one reaches the function', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    const updated = await client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'TemplateFunction', AuthType: 'AWS_IAM' }));
    assert.equal(updated.AuthType, 'AWS_IAM');
    assert.deepEqual(updated.Cors?.AllowMethods, ['POST'], 'an update keeps what it does not name');
    assert.ok(updated.LastModifiedTime);
    const url = updated.FunctionUrl as string;

    const unsigned = await call(url, { method: 'POST', body: '{}' });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(JSON.parse(unsigned.body), { Message: 'Forbidden' });
    assert.ok(unsigned.headers['x-amzn-requestid']);

    const wrongSecret = await signedCall(url, 'not-the-secret', '{"order":42}');
    assert.equal(wrongSecret.status, 403);

    const signed = await signedCall(url, 'local', '{"order":42}');
    assert.equal(signed.status, 200, signed.body);
    assert.deepEqual(JSON.parse(signed.body), { code: 'template', version: '$LATEST' });

    const got = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'TemplateFunction' }));
    assert.equal(got.FunctionUrl, url);
    assert.equal(got.AuthType, 'AWS_IAM');
  });

  it('puts a URL on an alias, lists them, validates qualifiers as AWS does, and deletes', { timeout: 60_000 }, async () => {
    const { client } = endpoint;
    const aliased = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
    assert.equal(aliased.FunctionArn, `${ARN}:AliasedFunction:live`);
    const viaAlias = await call(aliased.FunctionUrl as string);
    assert.equal(viaAlias.status, 200);
    assert.deepEqual(JSON.parse(viaAlias.body), { code: 'template', version: '1' });

    const listed = await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'AliasedFunction' }));
    assert.deepEqual(listed.FunctionUrlConfigs?.map((config) => [config.FunctionArn, config.InvokeMode]), [[`${ARN}:AliasedFunction:live`, 'RESPONSE_STREAM']]);

    const latest = await failure(client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: '$LATEST' })));
    assert.equal(latest.name, 'ValidationException');
    assert.equal(latest.message,
      "1 validation error detected: Value '$LATEST' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
    const badAuth = await failure(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', AuthType: 'OPEN' as 'NONE' })));
    assert.equal(badAuth.name, 'ValidationException');
    assert.match(badAuth.message, /Value 'OPEN' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: \[NONE, AWS_IAM\]/);
    const noAlias = await failure(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'staging', AuthType: 'NONE' })));
    assert.equal(noAlias.name, 'ResourceNotFoundException');
    const noUrl = await failure(client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction' })));
    assert.equal(noUrl.name, 'ResourceNotFoundException');
    assert.equal(noUrl.message, 'The resource you requested does not exist.');

    const deleted = await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await assert.rejects(call(aliased.FunctionUrl as string), /ECONNREFUSED/);
    const gone = await failure(client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'AliasedFunction', Qualifier: 'live' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('keeps API-made URLs across a restart and serves them again', { timeout: 90_000 }, async () => {
    assert.equal(await endpoint.stop(), 0);
    await endpoint.restart();
    const got = await endpoint.client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'TemplateFunction' }));
    assert.equal(got.AuthType, 'AWS_IAM');
    assert.match(endpoint.output().stdout, new RegExp(`TemplateFunction  ${got.FunctionUrl?.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const signed = await signedCall(got.FunctionUrl as string, 'local', '{}');
    assert.equal(signed.status, 200, signed.body);
  });
});
