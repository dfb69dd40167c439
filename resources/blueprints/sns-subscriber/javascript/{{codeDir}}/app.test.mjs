// Unit tests for {{functionName}}: run with `npm test` (node --test), no AWS account needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { handler } from './app.mjs';

const sampleEvent = JSON.parse(readFileSync(new URL('../events/{{codeDir}}.event.json', import.meta.url), 'utf8'));
const withMessage = (Message) => ({ Records: [{ ...sampleEvent.Records[0], Sns: { ...sampleEvent.Records[0].Sns, Message, MessageAttributes: {} } }] });

test('parses a JSON notification and reads its eventType attribute', async () => {
  assert.deepEqual(await handler(sampleEvent), {
    processed: [{
      messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      subject: 'Order shipped',
      eventType: 'OrderShipped',
      message: { orderId: 'ORD-1001', status: 'SHIPPED' },
    }],
  });
});

test('keeps a plain text message as text', async () => {
  const [notification] = (await handler(withMessage('plain text'))).processed;
  assert.equal(notification.message, 'plain text');
  assert.equal(notification.eventType, null);
});
