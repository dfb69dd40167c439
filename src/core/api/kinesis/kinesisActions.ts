// Every Kinesis action the endpoint serves, by the operation name of AWS's model, over the event sources' local streams.
import type { EventSources } from '../../service/eventSources/eventSources';
import type { LocalStream, PutResult } from '../../service/eventSources/localStream';
import { ProtocolError, type ProtocolAction } from '../protocolService';
import { readShard, shardIterator, type ShardIteratorType } from './shardIterators';

type Input = Record<string, unknown>;

/** One record's data and partition key together (Kinesis counts both). */
const MAX_RECORD_BYTES = 1024 * 1024;
/** A PutRecords request's records together. */
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const MAX_HASH_KEY = (1n << 128n) - 1n;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const MAX_SHARDS = 10_000;
/** An on-demand stream starts with 4 shards. */
const ON_DEMAND_SHARDS = 4;

/** `running` gives the event sources whose streams these are (none while `start` is still starting). */
export function kinesisActions(running: () => EventSources | undefined, account: { region: string; accountId: string }): Record<string, ProtocolAction> {
  const sourcesNow = (): EventSources => {
    const sources = running();
    if (!sources) throw new ProtocolError('ResourceNotFoundException', 'The local streams are not running yet; retry once `lambda-workbench start` has printed its endpoints.');
    return sources;
  };
  const arnOf = (name: string) => `arn:aws:kinesis:${account.region}:${account.accountId}:stream/${name}`;
  const notFound = (name: string) => new ProtocolError('ResourceNotFoundException', `Stream ${name} under account ${account.accountId} not found.`);
  const streamOf = (input: Input): LocalStream => {
    const reference = typeof input.StreamARN === 'string' ? input.StreamARN : typeof input.StreamName === 'string' ? input.StreamName : undefined;
    if (reference === undefined) throw new ProtocolError('InvalidArgumentException', 'Either StreamName or StreamARN must be provided.');
    const stream = sourcesNow().findStream(reference);
    // A DynamoDB table stream is not a Kinesis stream, whatever its name.
    if (!stream || stream.definition.kind !== 'kinesis') throw notFound(reference.split('/').pop() as string);
    return stream;
  };
  const shardOf = (stream: LocalStream, shardId: string) => {
    const shard = stream.shards.find((candidate) => candidate.shardId === shardId);
    if (!shard) throw new ProtocolError('ResourceNotFoundException', `Shard ${shardId} in stream ${stream.name} under account ${account.accountId} does not exist`);
    return { stream, shard };
  };
  const put = (stream: LocalStream, record: Input): PutResult => {
    const data = Buffer.from(String(record.Data), 'base64');
    const partitionKey = String(record.PartitionKey);
    const size = data.length + Buffer.byteLength(partitionKey);
    if (size > MAX_RECORD_BYTES) {
      throw new ProtocolError('ValidationException', `1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
    }
    return stream.putRecord(data, partitionKey, explicitHashKey(record.ExplicitHashKey));
  };

  return {
    // Answered once the records are in the state directory: a restarted `start` still has them.
    PutRecord: async (call) => {
      const { shardId, sequenceNumber } = put(streamOf(call.input), call.input);
      await sourcesNow().recordsSaved();
      return { ShardId: shardId, SequenceNumber: sequenceNumber, EncryptionType: 'NONE' };
    },

    PutRecords: async (call) => {
      const stream = streamOf(call.input);
      const records = call.input.Records as Input[];
      const total = records.reduce((sum, record) => sum + Buffer.from(String(record.Data), 'base64').length + Buffer.byteLength(String(record.PartitionKey)), 0);
      if (total > MAX_PUT_RECORDS_BYTES) {
        throw new ProtocolError('InvalidArgumentException', `Records size exceeds ${MAX_PUT_RECORDS_BYTES / 1024 / 1024} MB limit: the records of this request have ${total} bytes.`);
      }
      // Every record is checked before any is written, so a refused request puts nothing.
      for (const record of records) explicitHashKey(record.ExplicitHashKey);
      const results = records.map((record) => put(stream, record));
      await sourcesNow().recordsSaved();
      return { FailedRecordCount: 0, Records: results.map((result) => ({ ShardId: result.shardId, SequenceNumber: result.sequenceNumber })), EncryptionType: 'NONE' };
    },

    CreateStream: (call) => {
      const name = String(call.input.StreamName);
      if (!STREAM_NAME.test(name)) throw new ProtocolError('ValidationException', `1 validation error detected: Value '${name}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
      if (sourcesNow().findStream(name)) throw new ProtocolError('ResourceInUseException', `Stream ${name} under account ${account.accountId} already exists.`);
      const onDemand = (call.input.StreamModeDetails as Input | undefined)?.StreamMode === 'ON_DEMAND';
      const shardCount = typeof call.input.ShardCount === 'number' ? call.input.ShardCount : onDemand ? ON_DEMAND_SHARDS : undefined;
      if (shardCount === undefined) throw new ProtocolError('InvalidArgumentException', 'ShardCount is required for a stream in PROVISIONED mode.');
      if (shardCount > MAX_SHARDS) throw new ProtocolError('LimitExceededException', `This request would exceed the shard limit for the account ${account.accountId} in ${account.region}. Current limit: ${MAX_SHARDS}.`);
      sourcesNow().addStream({ kind: 'kinesis', name, arn: arnOf(name), shardCount });
      return undefined;
    },

    // Deleted at once (Kinesis shows DELETING for a while), with the records the state directory kept.
    DeleteStream: async (call) => {
      await sourcesNow().removeStream(streamOf(call.input).name);
      return undefined;
    },

    ListStreams: (call) => {
      const names = sourcesNow().listStreams().filter((stream) => stream.definition.kind === 'kinesis').map((stream) => stream.name).sort();
      const after = typeof call.input.ExclusiveStartStreamName === 'string' ? call.input.ExclusiveStartStreamName : undefined;
      const remaining = after === undefined ? names : names.filter((name) => name > after);
      const limit = typeof call.input.Limit === 'number' ? call.input.Limit : 100;
      const page = remaining.slice(0, limit);
      return {
        StreamNames: page,
        HasMoreStreams: remaining.length > page.length,
        StreamSummaries: page.map((name) => summaryOf(streamOf({ StreamName: name }))),
      };
    },

    DescribeStream: (call) => {
      const stream = streamOf(call.input);
      return { StreamDescription: { ...summaryOf(stream), Shards: shardsOf(stream), HasMoreShards: false, RetentionPeriodHours: 24, EnhancedMonitoring: [{ ShardLevelMetrics: [] }], EncryptionType: 'NONE' } };
    },

    DescribeStreamSummary: (call) => {
      const stream = streamOf(call.input);
      return {
        StreamDescriptionSummary: {
          ...summaryOf(stream),
          RetentionPeriodHours: 24,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
          OpenShardCount: stream.shards.length,
          ConsumerCount: 0,
        },
      };
    },

    ListShards: (call) => ({ Shards: shardsOf(streamOf(call.input)) }),

    GetShardIterator: (call) => {
      const { stream, shard } = shardOf(streamOf(call.input), String(call.input.ShardId));
      const start = {
        type: call.input.ShardIteratorType as ShardIteratorType,
        ...(typeof call.input.StartingSequenceNumber === 'string' ? { sequenceNumber: call.input.StartingSequenceNumber } : {}),
        ...(typeof call.input.Timestamp === 'number' ? { timestamp: call.input.Timestamp } : {}),
      };
      return { ShardIterator: shardIterator(stream, shard, start) };
    },

    GetRecords: (call) => {
      const read = readShard(String(call.input.ShardIterator), typeof call.input.Limit === 'number' ? call.input.Limit : undefined,
        (streamArn, shardId) => shardOf(streamOf({ StreamARN: streamArn }), shardId));
      return {
        Records: read.records.map((record) => ({
          SequenceNumber: record.sequenceNumber,
          // The JSON 1.1 protocol writes timestamps as epoch seconds, and blobs in base64.
          ApproximateArrivalTimestamp: record.arrivalTime / 1000,
          Data: record.content.kind === 'kinesis' ? record.content.data.toString('base64') : '',
          PartitionKey: record.partitionKey,
          EncryptionType: 'NONE',
        })),
        NextShardIterator: read.nextShardIterator,
        MillisBehindLatest: read.millisBehindLatest,
      };
    },
  };
}

function summaryOf(stream: LocalStream): Record<string, unknown> {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: 'PROVISIONED' },
    // The JSON 1.1 protocol writes timestamps as epoch seconds.
    StreamCreationTimestamp: stream.createdAt / 1000,
  };
}

function shardsOf(stream: LocalStream): Record<string, unknown>[] {
  return stream.shards.map((shard) => {
    const range = stream.hashKeyRange(shard);
    return {
      ShardId: shard.shardId,
      HashKeyRange: { StartingHashKey: range.start.toString(), EndingHashKey: range.end.toString() },
      SequenceNumberRange: { StartingSequenceNumber: shard.records[0]?.sequenceNumber ?? stream.startingSequenceNumber },
    };
  });
}

/** ExplicitHashKey: a decimal from 0 to 2^128 - 1. */
function explicitHashKey(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const key = /^\d{1,39}$/.test(text) ? BigInt(text) : undefined;
  if (key === undefined || key > MAX_HASH_KEY) {
    throw new ProtocolError('InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${text}`);
  }
  return key;
}
