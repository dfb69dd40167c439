// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeChange, handler, unmarshall } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));

test('describes a MODIFY with its old and new images', () => {
  const change = describeChange(sampleEvent.Records[1]);
  assert.equal(change.type, 'MODIFY');
  assert.deepEqual(change.keys, { pk: 'ORDER#ORD-1001', sk: 'META' });
  assert.equal(change.before.status, 'PLACED');
  assert.equal(change.after.status, 'SHIPPED');
  assert.equal(change.after.total, 42.5);
});

test('unmarshalls nested DynamoDB values', () => {
  assert.deepEqual(unmarshall({ M: { tags: { SS: ['a', 'b'] }, n: { NS: ['1', '2.5'] }, l: { L: [{ BOOL: true }, { NULL: true }] } } }), {
    tags: ['a', 'b'],
    n: [1, 2.5],
    l: [true, null],
  });
});

test('a clean batch reports no failures', async () => {
  assert.deepEqual(await handler(sampleEvent), { batchItemFailures: [] });
});

test('the first failing record is reported as the checkpoint', async () => {
  const [first, second, third] = sampleEvent.Records;
  const broken = { ...second, dynamodb: { ...second.dynamodb, NewImage: { status: { X: '?' } } } };
  assert.deepEqual(await handler({ Records: [first, broken, third] }), {
    batchItemFailures: [{ itemIdentifier: second.dynamodb.SequenceNumber }],
  });
});
