// Unit tests for {{functionName}}: run with `npm test`; S3 is replaced by an in-memory store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createHandler, previousUtcDay, transform } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/nightly.event.json', import.meta.url), 'utf8'));

function memoryStorage(objects) {
  return {
    objects,
    list: async (prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)),
    read: async (key) => objects.get(key),
    write: async (key, text) => void objects.set(key, text),
  };
}

test('aggregates per customer, largest total first, and counts bad lines', () => {
  const lines = ['{"customerId":"A","amount":10.1}', '{"customerId":"B","amount":50}', '{"customerId":"A","amount":5.2}', 'oops', '{"amount":1}', ''];
  assert.deepEqual(transform(lines), {
    customers: [{ customerId: 'B', orders: 1, total: 50 }, { customerId: 'A', orders: 2, total: 15.3 }],
    rejected: 2,
  });
});

test('processes the previous day and writes its report', async () => {
  const storage = memoryStorage(new Map([
    ['raw/2024-05-14/a.jsonl', '{"customerId":"A","amount":10}\n{"customerId":"B","amount":3}\n'],
    ['raw/2024-05-14/b.jsonl', '{"customerId":"A","amount":2}\n'],
    ['raw/2024-05-15/c.jsonl', '{"customerId":"C","amount":99}\n'],
  ]));
  const result = await createHandler(storage)(sampleEvent);
  assert.deepEqual(result, { day: '2024-05-14', inputs: 2, customers: 2, rejected: 0 });
  const report = JSON.parse(storage.objects.get('reports/2024-05-14.json'));
  assert.deepEqual(report.customers, [{ customerId: 'A', orders: 2, total: 12 }, { customerId: 'B', orders: 1, total: 3 }]);
});

test('the day before a year boundary', () => {
  assert.equal(previousUtcDay('2025-01-01T01:30:00Z'), '2024-12-31');
});
