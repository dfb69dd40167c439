// {{functionName}}: processes an SQS batch and returns only the failed message ids, so the rest are deleted from the queue.
export async function processMessage(record) {
  const order = JSON.parse(record.body);
  if (typeof order.orderId !== 'string') throw new Error('The message has no orderId');
  console.log(`Processing order ${order.orderId}`);
}

export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await processMessage(record);
    } catch (error) {
      console.error(`Message ${record.messageId} failed: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
