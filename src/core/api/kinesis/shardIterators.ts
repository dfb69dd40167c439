// Kinesis shard iterators (GetShardIterator) and the reads they make (GetRecords) over a local stream's shard.
import type { LocalStream, Shard, StreamRecord } from '../../service/eventSources/localStream';
import { ProtocolError } from '../protocolService';

/** An iterator is valid for 5 minutes after GetShardIterator or GetRecords returned it. */
export const ITERATOR_LIFETIME_MS = 5 * 60_000;
/** GetRecords returns at most 10,000 records and 10 MB of data. */
const MAX_RECORDS = 10_000;
const MAX_DATA_BYTES = 10 * 1024 * 1024;

/** What an iterator holds: the shard, the last sequence number read before it (-1: none) and when it was made. */
interface IteratorState {
  streamArn: string;
  shardId: string;
  after: string;
  issuedAt: number;
}

export type ShardIteratorType = 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** Where GetShardIterator starts: the input's type, sequence number or timestamp (epoch seconds, as the JSON protocol writes it). */
export interface IteratorStart {
  type: ShardIteratorType;
  sequenceNumber?: string;
  timestamp?: number;
}

/** An opaque iterator positioned on `shard` as `start` says. */
export function shardIterator(stream: LocalStream, shard: Shard, start: IteratorStart, now = Date.now()): string {
  return encode({ streamArn: stream.arn, shardId: shard.shardId, after: positionBefore(shard, start), issuedAt: now });
}

/** The sequence number the first record to read comes after. */
function positionBefore(shard: Shard, start: IteratorStart): string {
  const last = shard.records.at(-1)?.sequenceNumber ?? '-1';
  switch (start.type) {
    case 'TRIM_HORIZON':
      return '-1';
    case 'LATEST':
      return last;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      if (start.sequenceNumber === undefined) {
        throw new ProtocolError('InvalidArgumentException', `StartingSequenceNumber must be specified for ShardIteratorType ${start.type}.`);
      }
      if (!/^\d{1,129}$/.test(start.sequenceNumber)) {
        throw new ProtocolError('InvalidArgumentException', `StartingSequenceNumber ${start.sequenceNumber} used in GetShardIterator on shard ${shard.shardId} is not a sequence number.`);
      }
      const sequence = BigInt(start.sequenceNumber);
      return (start.type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence).toString();
    }
    case 'AT_TIMESTAMP': {
      if (start.timestamp === undefined) throw new ProtocolError('InvalidArgumentException', 'Timestamp must be specified for ShardIteratorType AT_TIMESTAMP.');
      const atMs = start.timestamp * 1000;
      const first = shard.records.find((record) => record.arrivalTime >= atMs);
      return first ? (BigInt(first.sequenceNumber) - 1n).toString() : last;
    }
  }
}

/**
 * The records after the iterator's position (at most `limit`, 10 MB of data), the iterator for the next read, and how
 * far behind the shard's newest record the reader still is. `shardOf` finds the iterator's stream and shard.
 */
export function readShard(
  iterator: string,
  limit: number | undefined,
  shardOf: (streamArn: string, shardId: string) => { stream: LocalStream; shard: Shard },
  now = Date.now(),
): { records: StreamRecord[]; nextShardIterator: string; millisBehindLatest: number } {
  const state = decode(iterator);
  if (now - state.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new ProtocolError('ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(state.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`);
  }
  const { shard } = shardOf(state.streamArn, state.shardId);
  const after = BigInt(state.after);
  const unread = shard.records.filter((record) => BigInt(record.sequenceNumber) > after);
  const records: StreamRecord[] = [];
  let bytes = 0;
  for (const record of unread.slice(0, Math.min(limit ?? MAX_RECORDS, MAX_RECORDS))) {
    const size = record.content.kind === 'kinesis' ? record.content.data.length : 0;
    if (records.length > 0 && bytes + size > MAX_DATA_BYTES) break;
    records.push(record);
    bytes += size;
  }
  const next = unread[records.length];
  return {
    records,
    nextShardIterator: encode({ ...state, after: records.at(-1)?.sequenceNumber ?? state.after, issuedAt: now }),
    millisBehindLatest: next ? Math.max(0, now - next.arrivalTime) : 0,
  };
}

function encode(state: IteratorState): string {
  return Buffer.from(JSON.stringify([state.streamArn, state.shardId, state.after, state.issuedAt])).toString('base64');
}

function decode(iterator: string): IteratorState {
  try {
    const [streamArn, shardId, after, issuedAt] = JSON.parse(Buffer.from(iterator, 'base64').toString('utf8')) as unknown[];
    if (typeof streamArn === 'string' && typeof shardId === 'string' && typeof after === 'string' && /^-?\d+$/.test(after) && typeof issuedAt === 'number') {
      return { streamArn, shardId, after, issuedAt };
    }
  } catch {
    // not an iterator of ours
  }
  throw new ProtocolError('InvalidArgumentException', 'Invalid ShardIterator.');
}
