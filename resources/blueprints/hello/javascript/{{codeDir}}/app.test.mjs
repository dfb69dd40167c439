// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));

test('greets the name from the sample event', async () => {
  assert.deepEqual(await handler(sampleEvent), { message: `Hello, ${sampleEvent.name}!` });
});

test('greets the world when the event has no name', async () => {
  assert.deepEqual(await handler({}), { message: 'Hello, world!' });
  assert.deepEqual(await handler({ name: '   ' }), { message: 'Hello, world!' });
});
