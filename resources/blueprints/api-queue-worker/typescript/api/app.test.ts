// Unit tests for {{functionName}}: `npm test` bundles them with esbuild; the queue is replaced by an in-memory sender.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sampleEvent from '../events/api-post-order.event.json';
import { createHandler } from './app';

function handlerWithQueue() {
  const sent: string[] = [];
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
