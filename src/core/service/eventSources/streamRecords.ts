// The Kinesis and DynamoDB Streams event records Lambda builds from stream records (contract §5.4).
import type { StreamRecord } from './localStream';
import type { StreamViewType } from './templateResources';

export interface StreamEventContext {
  streamArn: string;
  region: string;
  /** The function's execution role, shown as invokeIdentityArn in Kinesis records. */
  roleArn: string;
  streamViewType: StreamViewType;
}

export function streamEventRecord(record: StreamRecord, context: StreamEventContext): Record<string, unknown> {
  const content = record.content;
  if (content.kind === 'kinesis') {
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.partitionKey,
        sequenceNumber: record.sequenceNumber,
        data: content.data.toString('base64'),
        approximateArrivalTimestamp: record.arrivalTime / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${record.shardId}:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: context.roleArn,
      awsRegion: context.region,
      eventSourceARN: context.streamArn,
    };
  }
  const view = context.streamViewType;
  const images = {
    ...(content.newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { NewImage: content.newImage } : {}),
    ...(content.oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { OldImage: content.oldImage } : {}),
  };
  return {
    eventID: content.eventId,
    eventName: content.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(record.arrivalTime / 1000),
      Keys: content.keys,
      ...images,
      SequenceNumber: record.sequenceNumber,
      SizeBytes: Buffer.byteLength(JSON.stringify({ Keys: content.keys, ...images })),
      StreamViewType: view,
    },
    eventSourceARN: context.streamArn,
  };
}

/** The stream part of an on-failure record: which records were discarded (KinesisBatchInfo / DDBStreamBatchInfo, contract §5.2). */
export function streamBatchInfo(records: StreamRecord[], streamArn: string): Record<string, unknown> {
  const first = records[0];
  const last = records[records.length - 1];
  return {
    shardId: first.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: new Date(first.arrivalTime).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.arrivalTime).toISOString(),
    batchSize: records.length,
    streamArn,
  };
}
