// An in-memory Kinesis data stream or DynamoDB table stream: shards of ordered records with increasing sequence numbers.
import { createHash, randomBytes } from 'node:crypto';
import { WorkbenchError } from '../../common/errors';
import { Emitter } from '../../common/events';
import { attributeMap, type AttributeMap, type DynamoDbChange, type DynamoDbEventName } from './dynamoDbChange';
import type { StreamDefinition } from './templateResources';

export interface KinesisContent {
  kind: 'kinesis';
  data: Buffer;
}

export interface DynamoDbContent {
  kind: 'dynamodb';
  eventId: string;
  eventName: DynamoDbEventName;
  keys: AttributeMap;
  newImage?: AttributeMap;
  oldImage?: AttributeMap;
}

export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  /** Kinesis: the caller's key; DynamoDB: the item's keys, as JSON. Records with one key keep their order. */
  partitionKey: string;
  /** Epoch ms. */
  arrivalTime: number;
  content: KinesisContent | DynamoDbContent;
}

export interface Shard {
  shardId: string;
  records: StreamRecord[];
}

/** A record as the state directory keeps it (Kinesis data in base64). */
export type SavedStreamRecord = Omit<StreamRecord, 'content'> & { content: DynamoDbContent | { kind: 'kinesis'; data: string } };

/** A stream as the state directory keeps it (streamJournal.ts): its definition and its shards' records. */
export interface StreamSnapshot {
  definition: StreamDefinition;
  createdAt: number;
  shards: Array<{ shardId: string; records: SavedStreamRecord[] }>;
}

export interface PutResult {
  shardId: string;
  sequenceNumber: string;
}

/** The Kinesis limit on one record's data. */
const MAX_KINESIS_RECORD_BYTES = 1024 * 1024;
/** Sequence numbers are fixed-width decimal strings, so comparing them as numbers and as text agree. */
const SEQUENCE_BASE = { kinesis: 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n, dynamodb: 400_000_000_000_000_000_000n };

/** Kinesis's hash key space: 0 to 2^128 - 1. */
const HASH_KEY_SPACE = 1n << 128n;

/** The hash key range of each of `shardCount` shards, as Kinesis splits the space: shard i starts at floor(i * 2^128 / n). */
export function hashKeyRanges(shardCount: number): { start: bigint; end: bigint }[] {
  const startOf = (index: number) => (BigInt(index) * HASH_KEY_SPACE) / BigInt(shardCount);
  return Array.from({ length: shardCount }, (_, index) => ({ start: startOf(index), end: startOf(index + 1) - 1n }));
}

export class LocalStream {
  readonly shards: Shard[];
  /** Epoch ms. */
  readonly createdAt: number;
  private readonly ranges: { start: bigint; end: bigint }[];
  private readonly appended = new Emitter<StreamRecord>();
  /** Fires with each record, once it is in its shard. */
  readonly onDidAppend = this.appended.event;
  private nextSequence = 0n;

  /** `saved`: the records of an earlier run, kept when it had as many shards; sequence numbers go on after its highest. */
  constructor(readonly definition: StreamDefinition, saved?: StreamSnapshot) {
    const restored = saved?.definition.shardCount === definition.shardCount ? saved : undefined;
    this.shards = Array.from({ length: definition.shardCount }, (_, index) => {
      const shardId = `shardId-${String(index).padStart(12, '0')}`;
      const records = restored?.shards.find((shard) => shard.shardId === shardId)?.records ?? [];
      return { shardId, records: records.map(restoredRecord) };
    });
    this.ranges = hashKeyRanges(definition.shardCount);
    this.createdAt = restored?.createdAt ?? Date.now();
    for (const record of this.shards.flatMap((shard) => shard.records)) {
      const next = BigInt(record.sequenceNumber) - SEQUENCE_BASE[definition.kind] + 1n;
      if (next > this.nextSequence) this.nextSequence = next;
    }
  }

  snapshot(): StreamSnapshot {
    return {
      definition: this.definition,
      createdAt: this.createdAt,
      shards: this.shards.map((shard) => ({ shardId: shard.shardId, records: shard.records.map(savedRecord) })),
    };
  }

  /** The hash key range of a shard of this stream. */
  hashKeyRange(shard: Shard): { start: bigint; end: bigint } {
    return this.ranges[this.shards.indexOf(shard)] as { start: bigint; end: bigint };
  }

  /** The sequence number the stream's first record gets. */
  get startingSequenceNumber(): string {
    return SEQUENCE_BASE[this.definition.kind].toString();
  }

  get name(): string {
    return this.definition.name;
  }

  get arn(): string {
    return this.definition.arn;
  }

  /** `explicitHashKey` (0 to 2^128 - 1) picks the shard instead of the partition key's MD5, as Kinesis's ExplicitHashKey does. */
  putRecord(data: Buffer, partitionKey: string, explicitHashKey?: bigint): PutResult {
    if (this.definition.kind !== 'kinesis') throw new WorkbenchError('EVENT_INVALID', `${this.name} is a DynamoDB table stream: send it item changes, not records.`);
    if (partitionKey.length < 1 || partitionKey.length > 256) throw new WorkbenchError('EVENT_INVALID', 'A Kinesis partition key must be 1 to 256 characters long.');
    if (data.length > MAX_KINESIS_RECORD_BYTES) throw new WorkbenchError('EVENT_INVALID', `A Kinesis record holds at most ${MAX_KINESIS_RECORD_BYTES} bytes of data; this one has ${data.length}.`);
    return this.append(partitionKey, { kind: 'kinesis', data }, explicitHashKey);
  }

  putChange(change: DynamoDbChange): PutResult {
    if (this.definition.kind !== 'dynamodb') throw new WorkbenchError('EVENT_INVALID', `${this.name} is a Kinesis stream: put records on it, not item changes.`);
    const keys = attributeMap(change.keys, 'keys');
    const newImage = change.newImage === undefined ? undefined : attributeMap(change.newImage, 'newImage');
    const oldImage = change.oldImage === undefined ? undefined : attributeMap(change.oldImage, 'oldImage');
    const eventName = change.eventName ?? (newImage && oldImage ? 'MODIFY' : newImage ? 'INSERT' : oldImage ? 'REMOVE' : undefined);
    if (eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE') {
      throw new WorkbenchError('EVENT_INVALID', 'A DynamoDB change needs eventName INSERT, MODIFY or REMOVE, or a newImage and/or oldImage to infer it from.');
    }
    const partitionKey = JSON.stringify(Object.keys(keys).sort().map((name) => [name, keys[name]]));
    return this.append(partitionKey, {
      kind: 'dynamodb',
      eventId: randomBytes(16).toString('hex'),
      eventName,
      keys,
      ...(newImage ? { newImage } : {}),
      ...(oldImage ? { oldImage } : {}),
    });
  }

  dispose(): void {
    this.appended.dispose();
  }

  private append(partitionKey: string, content: StreamRecord['content'], explicitHashKey?: bigint): PutResult {
    // Kinesis maps the MD5 of the partition key onto the shards' slices of the 128-bit hash key space.
    const key = explicitHashKey ?? hashKey(partitionKey);
    const shard = this.shards[this.ranges.findIndex((range) => key >= range.start && key <= range.end)] as Shard;
    const sequenceNumber = (SEQUENCE_BASE[this.definition.kind] + this.nextSequence++).toString();
    const record: StreamRecord = { shardId: shard.shardId, sequenceNumber, partitionKey, arrivalTime: Date.now(), content };
    shard.records.push(record);
    this.appended.fire(record);
    return { shardId: shard.shardId, sequenceNumber };
  }
}

/** A record as the state directory keeps it. */
export function savedRecord(record: StreamRecord): SavedStreamRecord {
  return { ...record, content: record.content.kind === 'kinesis' ? { kind: 'kinesis', data: record.content.data.toString('base64') } : record.content };
}

function restoredRecord(record: SavedStreamRecord): StreamRecord {
  return { ...record, content: record.content.kind === 'kinesis' ? { kind: 'kinesis', data: Buffer.from(record.content.data, 'base64') } : record.content };
}

/** The partition key's MD5 as a 128-bit number. */
export function hashKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
}
