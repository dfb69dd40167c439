// WorkerFunction: processes queued orders; returns only the failed message ids so the others leave the queue.

export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

export async function processOrder(order: { orderId?: unknown; amount?: unknown }): Promise<void> {
  if (typeof order.orderId !== 'string') throw new Error('The message has no orderId');
  console.log(`Fulfilling order ${order.orderId} (${String(order.amount)})`);
}

export const handler = async (event: SqsEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      await processOrder(JSON.parse(record.body));
    } catch (error) {
      console.error(`Message ${record.messageId} failed: ${(error as Error).message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
