// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler, previousUtcDay } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));

test('processes the UTC day before the scheduled time', async () => {
  assert.deepEqual(await handler(sampleEvent), {
    window: { start: '2024-05-14T00:00:00.000Z', end: '2024-05-15T00:00:00.000Z' },
    firedAt: '2024-05-15T02:00:00Z',
  });
});

test('crosses month and year boundaries', () => {
  assert.deepEqual(previousUtcDay('2025-01-01T02:00:00Z'), { start: '2024-12-31T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
});

test('rejects events that are not scheduled events', async () => {
  await assert.rejects(handler({ ...sampleEvent, source: 'com.example' }), /Scheduled Event/);
  assert.throws(() => previousUtcDay('yesterday'), /Invalid schedule time/);
});
