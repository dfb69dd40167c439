// Unit tests for {{functionName}}: run with `npm test` (node --test). A stand-in for the runtime's `awslambda` global
// passes the handler through unchanged, and a PassThrough stream collects what it writes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';

globalThis.awslambda = { streamifyResponse: (handler) => handler };
process.env.CHUNK_DELAY_MS = '0';
const { handler } = await import('./app.mjs');
const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));

async function invoke(event) {
  const stream = new PassThrough();
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk.toString('utf8')));
  stream.setContentType = (type) => { stream.contentType = type; };
  await handler(event, stream, {});
  return { contentType: stream.contentType, chunks };
}

test('streams the requested number of lines as text', async () => {
  const event = { ...sampleEvent, queryStringParameters: { count: '3' } };
  const { contentType, chunks } = await invoke(event);
  assert.equal(contentType, 'text/plain; charset=utf-8');
  assert.equal(chunks.join(''), 'line 1 of 3\nline 2 of 3\nline 3 of 3\n');
});

test('defaults to five lines and caps the count', async () => {
  assert.equal((await invoke(sampleEvent)).chunks.join('').split('\n').filter(Boolean).length, 5);
  const capped = await invoke({ ...sampleEvent, queryStringParameters: { count: '5000' } });
  assert.equal(capped.chunks.join('').split('\n').filter(Boolean).length, 100);
});
