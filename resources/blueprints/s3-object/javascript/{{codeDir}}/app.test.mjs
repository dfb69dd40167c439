// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeKey, handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));
const withKey = (key) => ({
  Records: [{ ...sampleEvent.Records[0], s3: { ...sampleEvent.Records[0].s3, object: { ...sampleEvent.Records[0].s3.object, key } } }],
});

test('reports the new object with its decoded key', async () => {
  const { processed } = await handler(sampleEvent);
  assert.deepEqual(processed, [
    { bucket: 'amzn-s3-demo-bucket', key: 'uploads/invoices/2024-05 report.csv', size: 1305107, eventName: 'ObjectCreated:Put' },
  ]);
});

test('decodes percent-encoded and plus-encoded keys', () => {
  assert.equal(decodeKey('uploads/caf%C3%A9+menu%2B1.pdf'), 'uploads/café menu+1.pdf');
});

test('skips folder placeholder objects', async () => {
  assert.deepEqual((await handler(withKey('uploads/new-folder/'))).processed, []);
});

test('rejects events that are not S3 notifications', async () => {
  await assert.rejects(handler({}), /Records array/);
});
