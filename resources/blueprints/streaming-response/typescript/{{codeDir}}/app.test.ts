// Unit tests for {{functionName}}: `npm test` bundles them with esbuild and runs node --test. A stand-in for the
// runtime's `awslambda` global passes the handler through unchanged, and a PassThrough stream collects what it writes.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import sampleEvent from '../events/{{codeDir}}.event.json';
import type { ResponseStream, StreamingEvent } from './app';

Object.assign(globalThis, { awslambda: { streamifyResponse: <T>(handler: T): T => handler } });
process.env.CHUNK_DELAY_MS = '0';
const { handler } = await import('./app');

async function invoke(event: StreamingEvent): Promise<{ contentType?: string; chunks: string[] }> {
  const stream = new PassThrough();
  const chunks: string[] = [];
  let contentType: string | undefined;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const responseStream: ResponseStream = Object.assign(stream, { setContentType: (type: string) => { contentType = type; } });
  await handler(event, responseStream, {});
  return { contentType, chunks };
}

test('streams the requested number of lines as text', async () => {
  const { contentType, chunks } = await invoke({ ...sampleEvent, queryStringParameters: { count: '3' } });
  assert.equal(contentType, 'text/plain; charset=utf-8');
  assert.equal(chunks.join(''), 'line 1 of 3\nline 2 of 3\nline 3 of 3\n');
});

test('defaults to five lines and caps the count', async () => {
  assert.equal((await invoke(sampleEvent)).chunks.join('').split('\n').filter(Boolean).length, 5);
  const capped = await invoke({ ...sampleEvent, queryStringParameters: { count: '5000' } });
  assert.equal(capped.chunks.join('').split('\n').filter(Boolean).length, 100);
});
