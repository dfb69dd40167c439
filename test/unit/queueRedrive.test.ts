// Redrive from a dead-letter queue (StartMessageMoveTask's default): each message goes back to the queue it came from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalQueues } from '../../src/core/service/eventSources/localQueues';

describe('dead-letter queue redrive', () => {
  it('moves the messages a redrive policy put in the dead-letter queue back to their source, received afresh', async () => {
    const queues = new LocalQueues();
    try {
      const dlq = queues.create({ name: 'orders-dlq' });
      const source = queues.create({ name: 'orders', redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } });
      const sent = source.send({ body: 'poison', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } });
      const [first] = source.receive(1, { maxBytes: 1 << 20, holdUntilSettled: false });
      assert.ok(first?.receiptHandle);
      assert.equal(source.changeVisibility(first.receiptHandle, 0), 'changed');
      // The second receive finds it over maxReceiveCount: it moves to the dead-letter queue instead.
      assert.deepEqual(source.receive(1, { maxBytes: 1 << 20 }), []);
      dlq.send({ body: 'sent to the dlq directly' });
      assert.deepEqual(dlq.peek().map((message) => [message.body, message.deadLetterQueueSourceArn]), [['poison', source.arn], ['sent to the dlq directly', undefined]]);

      assert.deepEqual(queues.redrive(dlq), { moved: 1, kept: 0 });
      // What did not come through a redrive policy stays; the moved message keeps its id, body and attributes.
      assert.deepEqual(dlq.peek().map((message) => message.body), ['sent to the dlq directly']);
      const [back] = source.peek();
      assert.equal(back?.messageId, sent.messageId);
      assert.equal(back?.body, 'poison');
      assert.deepEqual(back?.messageAttributes, { kind: { dataType: 'String', stringValue: 'order' } });
      assert.equal(back?.receiveCount, 0);
      assert.equal(back?.deadLetterQueueSourceArn, undefined);
      assert.deepEqual(source.counts(), { visible: 1, inFlight: 0, delayed: 0 });
    } finally {
      await queues.dispose();
    }
  });

  it('keeps the messages of a source queue that no longer exists', async () => {
    const queues = new LocalQueues();
    try {
      const dlq = queues.create({ name: 'dlq' });
      const source = queues.create({ name: 'gone', redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } });
      source.send({ body: 'orphan' });
      const [first] = source.receive(1, { maxBytes: 1 << 20, holdUntilSettled: false });
      source.changeVisibility(first?.receiptHandle as string, 0);
      source.receive(1, { maxBytes: 1 << 20 });
      queues.delete('gone');
      assert.deepEqual(queues.redrive(dlq), { moved: 0, kept: 1 });
      assert.deepEqual(dlq.peek().map((message) => [message.body, message.deadLetterQueueSourceArn]), [['orphan', 'arn:aws:sqs:us-east-1:123456789012:gone']]);
    } finally {
      await queues.dispose();
    }
  });
});
