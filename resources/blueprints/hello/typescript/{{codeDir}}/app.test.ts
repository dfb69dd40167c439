// Unit tests for {{functionName}}: `npm test` bundles them with esbuild and runs node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sampleEvent from '../events/{{codeDir}}.event.json';
import { handler } from './app';

test('greets the name from the sample event', async () => {
  assert.deepEqual(await handler(sampleEvent), { message: `Hello, ${sampleEvent.name}!` });
});

test('greets the world when the event has no name', async () => {
  assert.deepEqual(await handler({}), { message: 'Hello, world!' });
  assert.deepEqual(await handler({ name: '   ' }), { message: 'Hello, world!' });
});
