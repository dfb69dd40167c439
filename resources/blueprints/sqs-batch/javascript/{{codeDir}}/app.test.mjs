// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));

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
