// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));
const request = (method, body, isBase64Encoded = false) => ({
  ...sampleEvent,
  requestContext: { ...sampleEvent.requestContext, http: { ...sampleEvent.requestContext.http, method } },
  body,
  isBase64Encoded,
});

test('GET greets the name from the query string', async () => {
  const response = await handler(sampleEvent);
  assert.equal(response.statusCode, 200);
  assert.deepEqual(JSON.parse(response.body), { message: 'Hello, Ada!', path: '/greet' });
});

test('POST echoes a JSON body, plain or base64', async () => {
  assert.deepEqual(JSON.parse((await handler(request('POST', '{"id":7}'))).body), { received: { id: 7 } });
  const encoded = Buffer.from('{"id":8}').toString('base64');
  assert.deepEqual(JSON.parse((await handler(request('POST', encoded, true))).body), { received: { id: 8 } });
});

test('POST with a body that is not JSON is a 400', async () => {
  assert.equal((await handler(request('POST', 'not json'))).statusCode, 400);
});

test('other methods are a 405 with an Allow header', async () => {
  const response = await handler(request('DELETE'));
  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, 'GET, POST');
});
