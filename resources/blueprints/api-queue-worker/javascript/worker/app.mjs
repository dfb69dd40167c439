// WorkerFunction: processes queued orders; returns only the failed message ids so the others leave the queue.
export async function processOrder(order) {
  if (typeof order.orderId !== 'string') throw new Error('The message has no orderId');
  console.log(`Fulfilling order ${order.orderId} (${order.amount})`);
}

export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await processOrder(JSON.parse(record.body));
    } catch (error) {
      console.error(`Message ${record.messageId} failed: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
