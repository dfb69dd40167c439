// Unit tests for {{functionName}}: `npm test` bundles them with esbuild and runs node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sampleEvent from '../events/{{codeDir}}.event.json';
import { handler } from './app';

test('a fully processed batch reports no failures', async () => {
  assert.deepEqual(await handler(sampleEvent), { batchItemFailures: [] });
});

test('only the failed messages are reported', async () => {
  const [first, second] = sampleEvent.Records;
  const event = { Records: [first, { ...second, body: 'not json' }, { ...first, messageId: 'no-order', body: '{}' }] };
  assert.deepEqual(await handler(event), {
    batchItemFailures: [{ itemIdentifier: second.messageId }, { itemIdentifier: 'no-order' }],
  });
});
