// Unit tests for WorkerFunction: run with `npm test`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/worker.event.json', import.meta.url), 'utf8'));

test('a good batch reports no failures', async () => {
  assert.deepEqual(await handler(sampleEvent), { batchItemFailures: [] });
});

test('reports only the message that failed', async () => {
  const [first, second] = sampleEvent.Records;
  assert.deepEqual(await handler({ Records: [first, { ...second, body: '{}' }] }), {
    batchItemFailures: [{ itemIdentifier: second.messageId }],
  });
});
