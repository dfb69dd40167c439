// {{functionName}}: processes an SQS batch and returns only the failed message ids, so the rest are deleted from the queue.

/** The parts of an SQS event record this handler reads. */
export interface SqsRecord {
  messageId: string;
  body: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** The partial batch response (requires FunctionResponseTypes: ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export async function processMessage(record: SqsRecord): Promise<void> {
  const order = JSON.parse(record.body) as { orderId?: unknown };
  if (typeof order.orderId !== 'string') throw new Error('The message has no orderId');
  console.log(`Processing order ${order.orderId}`);
}

export const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => {
  const batchItemFailures: SqsBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await processMessage(record);
    } catch (error) {
      console.error(`Message ${record.messageId} failed: ${(error as Error).message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
