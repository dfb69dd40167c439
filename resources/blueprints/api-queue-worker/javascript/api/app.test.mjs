// Unit tests for {{functionName}}: run with `npm test`; the queue is replaced by an in-memory sender.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createHandler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/api-post-order.event.json', import.meta.url), 'utf8'));

function handlerWithQueue() {
  const sent = [];
  const handler = createHandler({ sendMessage: async (body) => { sent.push(body); return `msg-${sent.length}`; } });
  return { handler, sent };
}

test('queues a valid order and answers 202', async () => {
  const { handler, sent } = handlerWithQueue();
  const response = await handler(sampleEvent);
  assert.equal(response.statusCode, 202);
  assert.deepEqual(JSON.parse(response.body), { orderId: 'ORD-1003', messageId: 'msg-1' });
  assert.deepEqual(sent.map((body) => JSON.parse(body)), [{ orderId: 'ORD-1003', amount: 9.99 }]);
});

test('rejects invalid JSON with 400 and invalid orders with 422, queueing nothing', async () => {
  const { handler, sent } = handlerWithQueue();
  assert.equal((await handler({ ...sampleEvent, body: '{oops' })).statusCode, 400);
  const response = await handler({ ...sampleEvent, body: '{"orderId":"","amount":-1}' });
  assert.equal(response.statusCode, 422);
  assert.equal(JSON.parse(response.body).errors.length, 2);
  assert.deepEqual(sent, []);
});
