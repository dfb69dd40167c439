// API Gateway served by `lambda-workbench start`: real HTTP (fetch and raw sockets) against the built CLI, events compared with AWS's documented payloads.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { scaffoldBlueprint } from '../../src/core/blueprints';
import { startEndpoint, type StartedEndpoint } from '../support/startedEndpoint';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/gateway');
const READY = /API Gateway listening on http:\/\/127\.0\.0\.1:(\d+)/;

// Keys of the payloads in AWS's documentation ("Create AWS Lambda proxy integrations for HTTP APIs", "Lambda proxy
// integrations in API Gateway" input format). authentication (mutual TLS) and clientCert cannot occur locally.
const V2_KEYS = ['body', 'cookies', 'headers', 'isBase64Encoded', 'pathParameters', 'queryStringParameters', 'rawPath', 'rawQueryString', 'requestContext', 'routeKey', 'stageVariables', 'version'];
const V2_CONTEXT_KEYS = ['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch'];
const V1_KEYS = ['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'];
const V1_CONTEXT_KEYS = ['accountId', 'apiId', 'domainName', 'domainPrefix', 'extendedRequestId', 'httpMethod', 'identity', 'path', 'protocol', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'stage'];
const IDENTITY_KEYS = ['accessKey', 'accountId', 'caller', 'cognitoAuthenticationProvider', 'cognitoAuthenticationType', 'cognitoIdentityId', 'cognitoIdentityPoolId', 'principalOrgId', 'sourceIp', 'user', 'userAgent', 'userArn'];
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The credentials `start --iam-credentials` accepts in these tests. */
const IAM = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local/secret+key' };

/** Signs a request to the gateway with SigV4 for execute-api, as an AWS SDK client signs it, and sends it with fetch. */
async function signedFetch(url: string, init: { method?: string; body?: string; credentials?: typeof IAM; signingDate?: Date; tamper?: (headers: Record<string, string>) => void } = {}): Promise<Response> {
  const target = new URL(url);
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { host: target.host, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: init.credentials ?? IAM, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    { method, protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname, query: Object.fromEntries(target.searchParams), headers, ...(init.body !== undefined ? { body: init.body } : {}) },
    init.signingDate ? { signingDate: init.signingDate } : {},
  );
  const sent = { ...signed.headers } as Record<string, string>;
  delete sent.host;
  init.tamper?.(sent);
  return fetch(url, { method, headers: sent, ...(init.body !== undefined ? { body: init.body } : {}) });
}

/** Sends raw bytes and returns the whole raw answer (the request asks the server to close the connection). */
function rawHttp(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolveAnswer, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolveAnswer(answer));
    socket.on('error', reject);
    socket.write(text);
  });
}

/** The headers a signed POST of `body` carries (to send them with another body). */
async function captureSignedHeaders(url: string, body: string): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: IAM, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname, query: {}, headers: { host: target.host, 'content-type': 'application/json' }, body });
  const headers = { ...signed.headers } as Record<string, string>;
  delete headers.host;
  return headers;
}

/** Polls until `count()` reaches `expected` (log lines arrive on the child's stderr). */
async function waitForCount(count: () => number, expected: number): Promise<void> {
  for (let waited = 0; count() < expected; waited += 50) {
    if (waited > 30_000) assert.fail(`expected ${expected}, still ${count()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  assert.equal(count(), expected);
}

function rawBody(answer: string): Json {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Json;
}

describe('lambda-workbench start: API Gateway', () => {
  let dir: string;
  let start: StartedEndpoint;
  let base: string;
  let port: number;
  let signJwt: (claims: Json) => Promise<string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-gateway-'));
    cpSync(FIXTURE, dir, { recursive: true });
    // A local key pair for the JWT authorizer: the public half is the JWKS start reads.
    const jose = await import('jose');
    const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'local', alg: 'RS256' }] }));
    signJwt = (claims) => new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'local' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
    start = await startEndpoint(dir, ['--api-port', '0', '--jwks', 'jwks.json', '--iam-credentials', `${IAM.accessKeyId}:${IAM.secretAccessKey}`], { readyLine: READY });
    port = Number(READY.exec(start.output().stdout)?.[1]);
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    if (start) assert.equal(await start.stop(), 0, start.output().stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every route with its method, URL and function', () => {
    assert.match(start.output().stdout, new RegExp(`^ {2}GET ${base}/orders/\\{id\\} -> EchoFunction {2}\\(ServerlessHttpApi, HTTP, payload 2\\.0\\)$`, 'm'));
    assert.match(start.output().stdout, new RegExp(`^ {2}ANY ${base}/assets/\\{proxy\\+\\} -> EchoFunction {2}\\(ItemsRestApi, REST\\)$`, 'm'));
    // Two APIs serve GET /shapes/{shape}: the REST one is shown (and reached) under its stage name.
    assert.match(start.output().stdout, new RegExp(`^ {2}GET ${base}/dev/shapes/\\{shape\\} -> ShapeFunction {2}\\(ItemsRestApi, REST\\)$`, 'm'));
    assert.match(start.output().stdout, /GET .*\/keyed -> EchoFunction {2}\(ItemsRestApi, REST, API key\)/);
  });

  it('sends payload format 2.0 with the fields of AWS\'s documented example', async () => {
    const answer = await rawHttp(port, [
      'GET /orders/42?parameter1=value1&parameter1=value2&parameter2=value HTTP/1.1',
      `Host: 127.0.0.1:${port}`, 'User-Agent: agent', 'Header1: value1', 'Header2: value1', 'Header2: value2',
      'Cookie: cookie1', 'Cookie: cookie2', 'Connection: close', '', ''].join('\r\n'));
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(answer, /\r\napigw-requestid: [0-9a-f-]{36}\r\n/);
    const event = rawBody(answer);
    assert.deepEqual(Object.keys(event).sort(), V2_KEYS.filter((key) => !['body', 'stageVariables'].includes(key)));
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /orders/{id}');
    assert.equal(event.rawPath, '/orders/42');
    assert.equal(event.rawQueryString, 'parameter1=value1&parameter1=value2&parameter2=value');
    assert.deepEqual(event.cookies, ['cookie1', 'cookie2']);
    assert.equal(event.headers.header1, 'value1');
    assert.equal(event.headers.header2, 'value1,value2');
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-forwarded-proto'], 'http');
    assert.match(event.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(event.queryStringParameters, { parameter1: 'value1,value2', parameter2: 'value' });
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext;
    assert.deepEqual(Object.keys(context).sort(), V2_CONTEXT_KEYS);
    assert.equal(context.accountId, '123456789012');
    assert.match(context.apiId, /^[0-9a-z]{10}$/);
    assert.equal(context.domainName, `${context.apiId}.execute-api.us-east-1.amazonaws.com`);
    assert.equal(context.domainPrefix, context.apiId);
    assert.deepEqual(context.http, { method: 'GET', path: '/orders/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'agent' });
    assert.equal(context.routeKey, 'GET /orders/{id}');
    assert.equal(context.stage, '$default');
    assert.match(context.time, CLF_TIME);
    assert.equal(typeof context.timeEpoch, 'number');
    assert.match(answer, new RegExp(`apigw-requestid: ${context.requestId}`));
  });

  it('2.0: bodies, greedy paths, named stages and stage variables', async () => {
    const text = (await (await fetch(`${base}/files/a/b%20c/d.txt`, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } })).json()) as Json;
    assert.equal(text.routeKey, 'ANY /files/{proxy+}');
    assert.deepEqual(text.pathParameters, { proxy: 'a/b c/d.txt' });
    assert.equal(text.body, 'hello');
    assert.equal(text.isBase64Encoded, false);
    const binary = (await (await fetch(`${base}/files/x`, { method: 'POST', body: Buffer.from([0, 255, 1]), headers: { 'content-type': 'application/octet-stream' } })).json()) as Json;
    assert.equal(binary.body, Buffer.from([0, 255, 1]).toString('base64'));
    assert.equal(binary.isBase64Encoded, true);
    // OrdersHttpApi has the stage "live": its URL path and the event carry it.
    const live = (await (await fetch(`${base}/live/live/7`)).json()) as Json;
    assert.equal(live.rawPath, '/live/live/7');
    assert.equal(live.requestContext.stage, 'live');
    assert.equal(live.requestContext.http.path, '/live/live/7');
    assert.deepEqual(live.stageVariables, { color: 'blue' });
    assert.deepEqual(live.pathParameters, { id: '7' });
  });

  it('sends payload format 1.0 to an HTTP API route with PayloadFormatVersion "1.0"', async () => {
    const answer = await rawHttp(port, [
      'POST /v1/orders/9?parameter1=value1&parameter1=value2 HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Header2: value1', 'Header2: value2',
      'Content-Type: application/json', 'Content-Length: 17', 'Connection: close', '', '{"hello":"world"}'].join('\r\n'));
    const event = rawBody(answer);
    assert.deepEqual(Object.keys(event).sort(), ['version', ...V1_KEYS].sort());
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/v1/orders/{id}');
    assert.equal(event.path, '/v1/orders/9');
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.headers.header2, 'value2');
    assert.deepEqual(event.multiValueHeaders.header2, ['value1', 'value2']);
    assert.deepEqual(event.queryStringParameters, { parameter1: 'value2' });
    assert.deepEqual(event.multiValueQueryStringParameters, { parameter1: ['value1', 'value2'] });
    assert.deepEqual(event.pathParameters, { id: '9' });
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, '{"hello":"world"}');
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext;
    assert.deepEqual(Object.keys(context).sort(), ['authorizer', ...V1_CONTEXT_KEYS].sort());
    assert.deepEqual(context.authorizer, { claims: null, scopes: null });
    assert.deepEqual(Object.keys(context.identity).sort(), IDENTITY_KEYS);
    assert.equal(context.identity.sourceIp, '127.0.0.1');
    assert.equal(context.resourceId, null);
    assert.equal(context.resourcePath, '/v1/orders/{id}');
    assert.equal(context.stage, '$default');
    assert.match(context.requestTime, CLF_TIME);
  });

  it('sends the REST proxy event: multi-value maps, header case, path and stage variables, the stage in requestContext.path', async () => {
    const answer = await rawHttp(port, [
      'GET /dev/assets/img/logo.png?name=me&multivalueName=you&multivalueName=me HTTP/1.1', `Host: 127.0.0.1:${port}`,
      'Accept-Encoding: gzip, deflate', 'X-Dup: 1', 'X-Dup: 2', 'Connection: close', '', ''].join('\r\n'));
    assert.match(answer, /\r\nx-amzn-requestid: [0-9a-f-]{36}\r\n/);
    const event = rawBody(answer);
    assert.deepEqual(Object.keys(event).sort(), V1_KEYS);
    assert.equal(event.resource, '/assets/{proxy+}');
    assert.equal(event.path, '/assets/img/logo.png');
    assert.equal(event.headers['Accept-Encoding'], 'gzip, deflate');
    assert.equal(event.headers['X-Dup'], '2');
    assert.deepEqual(event.multiValueHeaders['X-Dup'], ['1', '2']);
    assert.deepEqual(event.queryStringParameters, { name: 'me', multivalueName: 'me' });
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['me'], multivalueName: ['you', 'me'] });
    assert.deepEqual(event.pathParameters, { proxy: 'img/logo.png' });
    assert.deepEqual(event.stageVariables, { table: 'items-dev' });
    assert.equal(event.body, null);
    const context = event.requestContext;
    assert.deepEqual(Object.keys(context).sort(), V1_CONTEXT_KEYS);
    assert.deepEqual(Object.keys(context.identity).sort(), [...IDENTITY_KEYS, 'apiKey', 'apiKeyId'].sort());
    assert.equal(context.path, '/dev/assets/img/logo.png');
    assert.equal(context.resourcePath, '/assets/{proxy+}');
    assert.match(context.resourceId, /^[0-9a-z]{6}$/);
    assert.equal(context.stage, 'dev');
    // No query string, no headers beyond the gateway's own: the single-value maps are null, as AWS sends them.
    const bare = (await (await fetch(`${base}/items/1`)).json()) as Json;
    assert.equal(bare.queryStringParameters, null);
    assert.equal(bare.multiValueQueryStringParameters, null);
  });

  it('maps 2.0 responses with the inference rules, and function errors to 500', async () => {
    const cases: [string, number, string][] = [
      ['string', 200, 'hello'],
      ['object', 200, '{"hello":"world"}'],
      ['list', 200, '["hello",3,true]'],
      ['throw', 500, '{"message":"Internal Server Error"}'],
    ];
    for (const [shape, status, body] of cases) {
      const response = await fetch(`${base}/shapes/${shape}`);
      assert.equal(response.status, status, shape);
      assert.equal(response.headers.get('content-type'), 'application/json', shape);
      assert.equal(await response.text(), body, shape);
    }
    const cookies = await fetch(`${base}/shapes/cookies`);
    assert.equal(cookies.status, 201);
    assert.deepEqual(cookies.headers.getSetCookie(), ['a=1; Path=/', 'b=2']);
    assert.equal(cookies.headers.get('x-custom'), 'yes');
    const binary = await fetch(`${base}/shapes/binary`);
    assert.deepEqual([...new Uint8Array(await binary.arrayBuffer())], [0, 1, 2, 253, 254, 255]);
  });

  it('maps 1.0 responses: multiValueHeaders, 502 "Internal server error" on a malformed REST response, 500 for HTTP APIs', async () => {
    const multi = await fetch(`${base}/dev/shapes/multi`);
    assert.equal(multi.headers.get('x-one'), 'single');
    assert.equal(multi.headers.get('x-many'), '1, 2');
    for (const shape of ['string', 'body-object', 'extra-field', 'throw']) {
      const response = await fetch(`${base}/dev/shapes/${shape}`);
      assert.equal(response.status, 502, shape);
      // REST's integration errors are rendered with a space after the colon (see gatewayResponse.ts for the recordings).
      assert.equal(await response.text(), '{"message": "Internal server error"}', shape);
    }
    const httpV1 = await fetch(`${base}/v1/shapes/string`);
    assert.equal(httpV1.status, 500);
    assert.deepEqual(await httpV1.json(), { message: 'Internal Server Error' });
  });

  it('round-trips binary bodies: REST binary media types with Accept, HTTP APIs always', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const rest = await fetch(`${base}/dev/binary`, { method: 'POST', body: bytes, headers: { 'content-type': 'image/png', accept: 'image/png' } });
    assert.equal(rest.status, 200);
    assert.deepEqual(Buffer.from(await rest.arrayBuffer()), bytes);
    // Without a binary Accept type, the REST API passes the base64 text through.
    const text = await fetch(`${base}/dev/binary`, { method: 'POST', body: bytes, headers: { 'content-type': 'image/png', accept: 'text/plain' } });
    assert.equal(await text.text(), bytes.toString('base64'));
    const http = await fetch(`${base}/binary`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    assert.deepEqual(Buffer.from(await http.arrayBuffer()), bytes);
  });

  it('runs HTTP API Lambda authorizers (simple and IAM responses) and passes their context', async () => {
    const allowed = (await (await fetch(`${base}/simple`, { headers: { 'x-token': 'allow' } })).json()) as Json;
    assert.deepEqual(allowed.requestContext.authorizer, { lambda: { user: 'bob', routeKey: 'GET /simple' } });
    const denied = await fetch(`${base}/simple`, { headers: { 'x-token': 'nope' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(await denied.json(), { message: 'Forbidden' });
    const missing = await fetch(`${base}/simple`);
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { message: 'Unauthorized' });
    const iam = (await (await fetch(`${base}/iam`, { headers: { 'x-token': 'allow' } })).json()) as Json;
    assert.deepEqual(iam.requestContext.authorizer, { lambda: { user: 'carol' } });
    assert.equal((await fetch(`${base}/iam`, { headers: { 'x-token': 'nope' } })).status, 403);
  });

  it('runs REST TOKEN and REQUEST authorizers: policies evaluated on the method ARN, context passed on', async () => {
    const allowed = (await (await fetch(`${base}/token`, { headers: { authorization: 'allow' } })).json()) as Json;
    const context = allowed.requestContext.authorizer;
    assert.equal(context.principalId, 'local-user');
    assert.equal(context.user, 'alice');
    assert.equal(context.level, 3);
    assert.equal(context.admin, true);
    assert.equal(context.tokenType, 'TOKEN');
    assert.equal(context.dropped, undefined);
    assert.equal(typeof context.integrationLatency, 'number');
    const explicit = await fetch(`${base}/token`, { headers: { authorization: 'deny' } });
    assert.equal(explicit.status, 403);
    assert.deepEqual(await explicit.json(), { Message: 'User is not authorized to access this resource with an explicit deny' });
    const implicit = await fetch(`${base}/token`, { headers: { authorization: 'other' } });
    assert.deepEqual([implicit.status, await implicit.json()], [403, { Message: 'User is not authorized to access this resource' }]);
    const unauthorized = await fetch(`${base}/token`, { headers: { authorization: 'unauthorized' } });
    assert.deepEqual([unauthorized.status, await unauthorized.json()], [401, { message: 'Unauthorized' }]);
    assert.equal((await fetch(`${base}/token`)).status, 401);
    const request = (await (await fetch(`${base}/request?token=allow`)).json()) as Json;
    assert.equal(request.requestContext.authorizer.via, 'REQUEST');
    assert.equal(request.requestContext.authorizer.path, '/request');
    assert.equal((await fetch(`${base}/request?token=no`)).status, 403);
    assert.equal((await fetch(`${base}/request`)).status, 401);
  });

  it('checks JWTs against the JWKS: issuer, audience and scopes', async () => {
    const good = await signJwt({ iss: 'https://issuer.example.com', aud: 'orders-api', sub: 'user-1', scope: 'orders.read orders.write' });
    const allowed = (await (await fetch(`${base}/jwt`, { headers: { authorization: `Bearer ${good}` } })).json()) as Json;
    assert.equal(allowed.requestContext.authorizer.jwt.claims.sub, 'user-1');
    assert.equal(allowed.requestContext.authorizer.jwt.claims.aud, 'orders-api');
    assert.deepEqual(allowed.requestContext.authorizer.jwt.scopes, ['orders.read', 'orders.write']);
    const wrongAudience = await signJwt({ iss: 'https://issuer.example.com', aud: 'other', scope: 'orders.read' });
    assert.equal((await fetch(`${base}/jwt`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status, 401);
    const wrongIssuer = await signJwt({ iss: 'https://elsewhere', aud: 'orders-api', scope: 'orders.read' });
    assert.equal((await fetch(`${base}/jwt`, { headers: { authorization: `Bearer ${wrongIssuer}` } })).status, 401);
    const noScope = await signJwt({ iss: 'https://issuer.example.com', aud: 'orders-api', scope: 'orders.write' });
    const forbidden = await fetch(`${base}/jwt`, { headers: { authorization: `Bearer ${noScope}` } });
    assert.deepEqual([forbidden.status, await forbidden.json()], [403, { message: 'Forbidden' }]);
    assert.equal((await fetch(`${base}/jwt`)).status, 401);
  });

  it('reads OpenAPI security schemes (DefinitionUri and DefinitionBody): Lambda, JWT, Cognito user pool and API key schemes', async () => {
    assert.match(start.output().stdout, new RegExp(`^ {2}GET ${base}/openapi/token -> EchoFunction {2}\\(SpecRestApi, REST, authorizer CachedToken\\)$`, 'm'));
    assert.match(start.output().stdout, new RegExp(`^ {2}GET ${base}/oas/jwt -> EchoFunction {2}\\(SpecHttpApi, HTTP, payload 2\\.0, authorizer OasJwt\\)$`, 'm'));
    const token = (await (await fetch(`${base}/openapi/token`, { headers: { 'x-spec-token': 'allow' } })).json()) as Json;
    assert.equal(token.requestContext.authorizer.user, 'alice');
    assert.equal((await fetch(`${base}/openapi/token`)).status, 401);
    // Cognito user pool: the pool's issuer, checked against the JWKS; the claims reach the integration.
    const poolToken = await signJwt({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local', sub: 'pool-user', token_use: 'id' });
    const cognito = (await (await fetch(`${base}/openapi/cognito`, { headers: { authorization: poolToken } })).json()) as Json;
    assert.equal(cognito.requestContext.authorizer.claims.sub, 'pool-user');
    const otherPool = await signJwt({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other', sub: 'x' });
    const refused = await fetch(`${base}/openapi/cognito`, { headers: { authorization: otherPool } });
    assert.deepEqual([refused.status, await refused.text()], [401, '{"message":"Unauthorized"}']);
    assert.equal((await fetch(`${base}/openapi/cognito`)).status, 401);
    const keyless = await fetch(`${base}/openapi/keyed`);
    assert.deepEqual([keyless.status, await keyless.text()], [403, '{"message":"Forbidden"}']);
    assert.equal((await fetch(`${base}/openapi/keyed`, { headers: { 'x-api-key': 'local-key-0123456789' } })).status, 200);
    // HTTP API DefinitionBody: a REQUEST authorizer with simple responses, and a JWT authorizer with route scopes.
    const lambda = (await (await fetch(`${base}/oas/lambda`, { headers: { 'x-token': 'allow' } })).json()) as Json;
    assert.deepEqual(lambda.requestContext.authorizer, { lambda: { user: 'bob', routeKey: 'GET /oas/lambda' } });
    assert.equal((await fetch(`${base}/oas/lambda`, { headers: { 'x-token': 'nope' } })).status, 403);
    const reader = await signJwt({ iss: 'https://issuer.example.com', aud: 'orders-api', scope: 'orders.read' });
    assert.equal((await fetch(`${base}/oas/jwt`, { headers: { authorization: `Bearer ${reader}` } })).status, 200);
    const writer = await signJwt({ iss: 'https://issuer.example.com', aud: 'orders-api', scope: 'orders.write' });
    assert.equal((await fetch(`${base}/oas/jwt`, { headers: { authorization: `Bearer ${writer}` } })).status, 403);
  });

  it('caches a REST authorizer\'s answer for its TTL (the cached policy is evaluated per method); HTTP APIs do not cache by default', async () => {
    const runs = (line: string) => start.output().stderr.split(line).length - 1;
    const first = await fetch(`${base}/openapi/token`, { headers: { 'x-spec-token': 'cache-me' } });
    assert.equal(first.status, 200);
    await start.stderrHas('token-authorizer-ran cache-me');
    const second = await fetch(`${base}/openapi/token`, { headers: { 'x-spec-token': 'cache-me' } });
    assert.equal(second.status, 200);
    assert.equal((await second.json() as Json).requestContext.authorizer.user, 'alice');
    // The cached policy allows GET /openapi/token only: another method of the same authorizer is denied, without a run.
    const other = await fetch(`${base}/openapi/token2`, { headers: { 'x-spec-token': 'cache-me' } });
    assert.deepEqual([other.status, await other.json()], [403, { Message: 'User is not authorized to access this resource' }]);
    assert.equal(runs('token-authorizer-ran cache-me'), 1, 'the authorizer ran once');
    // Another token is another cache entry.
    assert.equal((await fetch(`${base}/openapi/token2`, { headers: { 'x-spec-token': 'fresh' } })).status, 200);
    assert.equal(runs('token-authorizer-ran fresh'), 1);
    // HTTP API authorizers (no TTL configured) run for every request.
    const before = runs('simple-authorizer-ran allow');
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${base}/oas/lambda`, { headers: { 'x-token': 'allow' } })).status, 200);
    await waitForCount(() => runs('simple-authorizer-ran allow'), before + 2);
  });

  it('verifies SigV4 signatures (execute-api) on AWS_IAM routes and passes the caller on', async () => {
    assert.match(start.output().stdout, new RegExp(`^ {2}ANY ${base}/signed -> EchoFunction {2}\\(ItemsRestApi, REST, AWS_IAM\\)$`, 'm'));
    const rest = await signedFetch(`${base}/signed?b=2&a=1%20x`);
    assert.equal(rest.status, 200);
    const identity = ((await rest.json()) as Json).requestContext.identity;
    assert.deepEqual([identity.accessKey, identity.accountId, identity.userArn], [IAM.accessKeyId, '123456789012', 'arn:aws:iam::123456789012:user/local']);
    const http = await signedFetch(`${base}/oas/signed`, { method: 'POST', body: '{"order":1}' });
    assert.equal(http.status, 200);
    const event = (await http.json()) as Json;
    assert.equal(event.body, '{"order":1}');
    assert.deepEqual(event.requestContext.authorizer.iam, {
      accessKey: IAM.accessKeyId, accountId: '123456789012', callerId: IAM.accessKeyId, cognitoIdentity: null, principalOrgId: null,
      userArn: 'arn:aws:iam::123456789012:user/local', userId: IAM.accessKeyId,
    });
    const mismatch = '{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}';
    // Unsigned: REST's Missing Authentication Token, HTTP APIs' Forbidden.
    const unsignedRest = await fetch(`${base}/signed`);
    assert.deepEqual([unsignedRest.status, unsignedRest.headers.get('x-amzn-errortype'), await unsignedRest.text()], [403, 'MissingAuthenticationTokenException', '{"message":"Missing Authentication Token"}']);
    const unsignedHttp = await fetch(`${base}/oas/signed`, { method: 'POST', body: '{}' });
    assert.deepEqual([unsignedHttp.status, await unsignedHttp.text()], [403, '{"message":"Forbidden"}']);
    const wrongSecret = await signedFetch(`${base}/signed`, { credentials: { ...IAM, secretAccessKey: 'not-the-secret' } });
    assert.deepEqual([wrongSecret.status, wrongSecret.headers.get('x-amzn-errortype'), await wrongSecret.text()], [403, 'InvalidSignatureException', mismatch]);
    // A header added after signing is not covered by the signature; a signed one changed is a mismatch.
    const added = await signedFetch(`${base}/oas/signed`, { method: 'POST', body: '{"order":1}', tamper: (headers) => (headers['x-added'] = 'later') });
    assert.equal(added.status, 200);
    const changed = await signedFetch(`${base}/oas/signed`, { method: 'POST', body: '{"order":1}', tamper: (headers) => (headers['content-type'] = 'text/plain') });
    assert.deepEqual([changed.status, await changed.text()], [403, mismatch]);
    const changedBody = await fetch(`${base}/oas/signed`, { method: 'POST', body: '{"order":2}', headers: Object.fromEntries(
      Object.entries((await captureSignedHeaders(`${base}/oas/signed`, '{"order":1}')))) });
    assert.deepEqual([changedBody.status, await changedBody.text()], [403, mismatch]);
    const unknown = await signedFetch(`${base}/signed`, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
    assert.deepEqual([unknown.status, await unknown.text()], [403, '{"message":"The security token included in the request is invalid."}']);
    const stale = await signedFetch(`${base}/signed`, { signingDate: new Date(Date.now() - 10 * 60 * 1000) });
    assert.equal(stale.status, 403);
    assert.match(((await stale.json()) as Json).message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const bearer = await fetch(`${base}/signed`, { headers: { authorization: 'Bearer abc' } });
    assert.equal(bearer.headers.get('x-amzn-errortype'), 'IncompleteSignatureException');
    assert.match(((await bearer.json()) as Json).message, /^Authorization header requires 'Credential' parameter\. .* Authorization=Bearer abc$/);
  });

  it('requires an API key where ApiKeyRequired is set', async () => {
    assert.equal((await fetch(`${base}/keyed`)).status, 403);
    assert.equal((await fetch(`${base}/keyed`, { headers: { 'x-api-key': 'wrong' } })).status, 403);
    const event = (await (await fetch(`${base}/keyed`, { headers: { 'x-api-key': 'local-key-0123456789' } })).json()) as Json;
    assert.equal(event.requestContext.identity.apiKey, 'local-key-0123456789');
  });

  it('answers CORS preflights itself, without invoking, and adds CORS headers to HTTP API responses', async () => {
    const invocationsBefore = start.output().stderr.split('\nSTART ').length;
    const preflight = await fetch(`${base}/live/live/1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-token' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type,x-token');
    assert.equal(preflight.headers.get('access-control-max-age'), '600');
    const foreign = await fetch(`${base}/live/live/1`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(foreign.status, 204);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const rest = await fetch(`${base}/dev/items/1`, { method: 'OPTIONS', headers: { origin: 'https://any.example', 'access-control-request-method': 'POST' } });
    assert.equal(rest.headers.get('access-control-allow-origin'), '*');
    assert.equal(rest.headers.get('access-control-allow-methods'), 'GET,POST,OPTIONS');
    assert.equal(start.output().stderr.split('\nSTART ').length, invocationsBefore, 'a preflight invokes nothing');
    const actual = await fetch(`${base}/live/live/1`, { headers: { origin: 'https://app.example.com' } });
    assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(actual.headers.get('access-control-expose-headers'), 'x-custom');
  });

  it('answers unknown routes, oversized bodies, foreign hosts and malformed HTTP without falling over', async () => {
    const unknown = await fetch(`${base}/nowhere`);
    assert.deepEqual([unknown.status, await unknown.json()], [403, { message: 'Missing Authentication Token' }]);
    const wrongMethod = await fetch(`${base}/items/1`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 403);
    // Over API Gateway's 10 MB: each API kind in its own words (sources in gatewayResponse.ts).
    const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1);
    const bigHttp = await fetch(`${base}/binary`, { method: 'POST', body: tooBig });
    assert.deepEqual([bigHttp.status, bigHttp.headers.get('content-type'), await bigHttp.text()], [413, 'application/json', '{"message":"Request Entity Too Large"}']);
    const bigRest = await fetch(`${base}/dev/binary`, { method: 'POST', body: tooBig });
    assert.deepEqual([bigRest.status, bigRest.headers.get('content-type'), await bigRest.text()], [413, 'text; charset=utf-8', 'HTTP content length exceeded 10485760 bytes.']);
    // Under 10 MB, but the event (base64 of a binary media type) is over Lambda's 6 MB: REST's 413 "Request Too Long".
    const bigEvent = await fetch(`${base}/dev/binary`, { method: 'POST', body: Buffer.alloc(7 * 1024 * 1024), headers: { 'content-type': 'image/png' } });
    assert.deepEqual([bigEvent.status, await bigEvent.text()], [413, '{"message": "Request Too Long"}']);
    const foreign = await rawHttp(port, `GET /orders/1 HTTP/1.1\r\nHost: attacker.example:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(foreign, /^HTTP\/1\.1 403 /);
    const garbage = await rawHttp(port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(rawBody(garbage).message, /^The request is not valid HTTP\/1\.1/);
    const noHost = await rawHttp(port, 'GET /orders/1 HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.match(noHost, /^HTTP\/1\.1 403 /);
    const badEscape = await rawHttp(port, `GET /orders/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(badEscape, /^HTTP\/1\.1 200 /);
    assert.equal((await fetch(`${base}/orders/still-up`)).status, 200);
  });

  it('throttles over reserved concurrency (HTTP 429, REST 500) and times out slow integrations (HTTP 503, REST 504)', async () => {
    const twice = (url: string) => Promise.all([fetch(url), new Promise((r) => setTimeout(r, 300)).then(() => fetch(url))]);
    const [first, second] = await twice(`${base}/slow`);
    assert.deepEqual([first.status, second.status].sort(), [200, 429]);
    const throttled = first.status === 429 ? first : second;
    assert.equal(await throttled.text(), '{"message":"Too Many Requests"}');
    const [restFirst, restSecond] = await twice(`${base}/dev/slow`);
    assert.deepEqual([restFirst.status, restSecond.status].sort(), [200, 500]);
    const restThrottled = restFirst.status === 500 ? restFirst : restSecond;
    assert.equal(restThrottled.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
    assert.equal(await restThrottled.text(), '{"message": "Internal server error"}');
    // /quick/{shape} has TimeoutInMillis 1000 on both APIs; the sleep shape takes 3 s.
    const late = await fetch(`${base}/dev/quick/sleep`);
    assert.deepEqual([late.status, await late.text()], [504, '{"message": "Endpoint request timed out"}']);
    const lateHttp = await fetch(`${base}/quick/sleep`);
    assert.match(lateHttp.headers.get('apigw-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual([lateHttp.status, await lateHttp.text()], [503, '{"message":"Service Unavailable"}']);
  });
});

describe('lambda-workbench start --api-timeout', () => {
  it('overrides every route\'s integration timeout, TimeoutInMillis included', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-gateway-timeout-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const start = await startEndpoint(dir, ['--api-port', '0', '--api-timeout', '20000'], { readyLine: READY });
    try {
      const base = `http://127.0.0.1:${READY.exec(start.output().stdout)?.[1]}`;
      // TimeoutInMillis 1000 would cut the 3 s sleep short (503 / 504); --api-timeout 20000 lets it answer.
      for (const path of ['/quick/sleep', '/dev/quick/sleep']) {
        const response = await fetch(`${base}${path}`);
        assert.deepEqual([response.status, await response.text()], [200, 'late'], path);
      }
    } finally {
      assert.equal(await start.stop(), 0, start.output().stderr);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a value that is not a number of milliseconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-gateway-timeout-'));
    cpSync(FIXTURE, dir, { recursive: true });
    try {
      await assert.rejects(startEndpoint(dir, ['--api-port', '0', '--api-timeout', 'soon'], { readyLine: READY }), /--api-timeout must be a whole number of milliseconds \(50 or more\), not 'soon'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lambda-workbench start: the api-queue-worker application template', () => {
  it('serves its HttpApi route end to end (scaffolded, started, called)', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-gateway-app-'));
    await scaffoldBlueprint('api-queue-worker', 'javascript', dir, { functionName: 'OrdersApi' });
    const app = await startEndpoint(dir, ['--api-port', '0', '--events-port', '0'], { readyLine: READY });
    try {
      const base = `http://127.0.0.1:${READY.exec(app.output().stdout)?.[1]}`;
      assert.match(app.output().stdout, new RegExp(`^ {2}POST ${base}/orders -> OrdersApi {2}\\(ServerlessHttpApi, HTTP, payload 2\\.0\\)$`, 'm'));
      const notJson = await fetch(`${base}/orders`, { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } });
      assert.deepEqual([notJson.status, await notJson.json()], [400, { error: 'The request body must be valid JSON' }]);
      const invalid = await fetch(`${base}/orders`, { method: 'POST', body: JSON.stringify({ orderId: '', amount: -1 }), headers: { 'content-type': 'application/json' } });
      assert.equal(invalid.status, 422);
      assert.deepEqual(await invalid.json(), { errors: ['orderId must be a non-empty string', 'amount must be a positive number'] });
      // Only HTTP APIs in this template: an unknown route is 404 Not Found.
      const unknown = await fetch(`${base}/orders`);
      assert.deepEqual([unknown.status, await unknown.json()], [404, { message: 'Not Found' }]);
    } finally {
      assert.equal(await app.stop(), 0, app.output().stderr);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
