// Unit tests for WorkerFunction: `npm test` bundles them with esbuild and runs node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sampleEvent from '../events/worker.event.json';
import { handler } from './app';

test('a good batch reports no failures', async () => {
  assert.deepEqual(await handler(sampleEvent), { batchItemFailures: [] });
});

test('reports only the message that failed', async () => {
  const [first, second] = sampleEvent.Records;
  assert.deepEqual(await handler({ Records: [first, { ...second, body: '{}' }] }), {
    batchItemFailures: [{ itemIdentifier: second.messageId }],
  });
});
