// The SQS event Lambda builds from received messages (contract §5.3): one record per message, with SQS's string-typed attributes.
import type { QueueMessage } from './localQueue';

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsEventMessageAttribute>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEventMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export function sqsRecord(message: QueueMessage, queueArn: string, region: string): SqsRecord {
  const fifo = message.sequenceNumber !== undefined;
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    ...(fifo ? { SequenceNumber: message.sequenceNumber as string, MessageGroupId: message.messageGroupId as string } : {}),
    SenderId: message.senderId,
    ...(fifo ? { MessageDeduplicationId: message.messageDeduplicationId as string } : {}),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
  };
  const messageAttributes: Record<string, SqsEventMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    messageAttributes[name] = {
      ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}),
      ...(value.binaryValue !== undefined ? { binaryValue: value.binaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.dataType,
    };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes,
    messageAttributes,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
