// Lambda's stream poller for one Kinesis or DynamoDB mapping: per shard (and per ParallelizationFactor lane) in order, with
// retries that block the lane, bisecting, checkpoints from partial batch responses, and on-failure records (contract §5.2, §5.4).
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../common/disposable';
import type { InvokeResult } from '../invocation';
import { functionArn } from '../functionRef';
import { judgeBatchResponse, type BatchOutcome } from './batchResponse';
import { passesFilters } from './eventFilter';
import { hashKey, type LocalStream, type Shard, type StreamRecord } from './localStream';
import type { StreamMapping } from './mappingConfig';
import type { PollerContext } from './pollerContext';
import { MAX_BATCH_BYTES } from './sqsPoller';
import { streamBatchInfo, streamEventRecord, type StreamEventContext } from './streamRecords';

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** Where discarded batches go: the mapping's OnFailure destination, or the log. */
export type FailureSink = (mapping: StreamMapping, record: Record<string, unknown>) => Promise<void>;

/** Wait before retrying a failed batch, and the cap for invoke errors (throttles), before timeScale. */
const RETRY_DELAY_MS = 1_000;
const MAX_INVOKE_ERROR_DELAY_MS = 60_000;

export class StreamPoller implements Disposable {
  private readonly lanes: ShardLane[] = [];

  /**
   * `resumeAt`: per shard id, the record to go on from (a restarted mapping keeps its place instead of its StartingPosition).
   * `checkpointed`: awaited after each finished batch, before the lane takes the next (the positions are saved then).
   */
  constructor(
    mapping: StreamMapping,
    stream: LocalStream,
    context: PollerContext,
    eventContext: StreamEventContext,
    failureSink: FailureSink,
    private readonly resumeAt?: ReadonlyMap<string, number>,
    checkpointed: () => Promise<void> = () => Promise.resolve(),
  ) {
    if (!mapping.enabled) return;
    for (const shard of stream.shards) {
      for (let lane = 0; lane < mapping.parallelizationFactor; lane++) {
        this.lanes.push(new ShardLane({ mapping, stream, shard, lane, context, eventContext, failureSink, checkpointed }, resumeAt?.get(shard.shardId)));
      }
    }
  }

  /** Per shard id, the first record not yet done by every lane: where a restarted poller goes on (at least once). */
  checkpoints(): Map<string, number> {
    const positions = new Map(this.resumeAt);
    for (const lane of this.lanes) {
      const previous = positions.get(lane.shardId);
      positions.set(lane.shardId, previous === undefined ? lane.checkpoint : Math.min(previous, lane.checkpoint));
    }
    return positions;
  }

  start(): void {
    for (const lane of this.lanes) lane.start();
  }

  dispose(): void {
    for (const lane of this.lanes) lane.dispose();
  }
}

interface LaneSettings {
  mapping: StreamMapping;
  stream: LocalStream;
  shard: Shard;
  /** Records whose partition key hashes to this lane (of ParallelizationFactor lanes) are processed here, in order. */
  lane: number;
  context: PollerContext;
  eventContext: StreamEventContext;
  failureSink: FailureSink;
  checkpointed: () => Promise<void>;
}

/** Part of a batch still to be delivered; bisecting splits one into two. */
interface PendingBatch {
  records: StreamRecord[];
  retries: number;
  invokes: number;
  lastResult?: InvokeResult;
}

class ShardLane {
  /** Index into the shard's records of the next record to look at. */
  private position: number;
  private disposed = false;
  private wake: (() => void) | undefined;
  /** Appended records end waits for records and batching windows, not retry delays. */
  private wakeOnAppend = false;
  private readonly subscription: Disposable;

  constructor(private readonly s: LaneSettings, resumeAt: number | undefined) {
    const { mapping, shard } = s;
    // Saved positions past the shard's end (its records were not kept) start at the end.
    if (resumeAt !== undefined) this.position = Math.min(resumeAt, shard.records.length);
    else if (mapping.startingPosition === 'LATEST') this.position = shard.records.length;
    else if (mapping.startingPosition === 'AT_TIMESTAMP') {
      const from = (mapping.startingPositionTimestamp ?? 0) * 1000;
      const index = shard.records.findIndex((record) => record.arrivalTime >= from);
      this.position = index < 0 ? shard.records.length : index;
    } else this.position = 0;
    this.subscription = s.stream.onDidAppend((record) => {
      if (record.shardId === shard.shardId && this.wakeOnAppend) this.wakeUp();
    });
  }

  start(): void {
    void this.run();
  }

  get shardId(): string {
    return this.s.shard.shardId;
  }

  /** The next record this lane has not finished with. */
  get checkpoint(): number {
    return this.position;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.wakeUp();
  }

  private async run(): Promise<void> {
    const { mapping, context } = this.s;
    const windowMs = mapping.batchingWindowSeconds * 1000 * context.timeScale;
    while (!this.disposed) {
      let pending = this.pendingRecords();
      if (!pending.length) {
        await this.sleep(undefined, true);
        continue;
      }
      if (windowMs > 0 && pending.length < mapping.batchSize) {
        // The batching window: wait for it to pass, or for the batch to fill.
        const deadline = Date.now() + windowMs;
        while (!this.disposed && pending.length < mapping.batchSize && Date.now() < deadline) {
          await this.sleep(deadline - Date.now(), true);
          pending = this.pendingRecords();
        }
        if (this.disposed) return;
      }
      const batch = takeBatch(pending, mapping.batchSize);
      await this.deliver(batch);
      if (this.disposed) return;
      this.position = this.s.shard.records.indexOf(batch[batch.length - 1]) + 1;
      // A position that cannot be saved costs a redelivery after a crash, never a record.
      await this.s.checkpointed().catch(() => undefined);
    }
  }

  private pendingRecords(): StreamRecord[] {
    const { parallelizationFactor } = this.s.mapping;
    const records = this.s.shard.records.slice(this.position);
    if (parallelizationFactor === 1) return records;
    return records.filter((record) => Number(hashKey(record.partitionKey) % BigInt(parallelizationFactor)) === this.s.lane);
  }

  /** Delivers one batch until every record succeeded or was discarded; the lane moves on only then. */
  private async deliver(batch: StreamRecord[]): Promise<void> {
    const { mapping, context } = this.s;
    // Records the filters leave out are passed over without reaching the function, as Lambda does.
    const passing = batch.filter((record) => passesFilters(mapping.filterPatterns, streamEventRecord(record, this.s.eventContext)));
    if (passing.length === 0) return;
    const work: PendingBatch[] = [{ records: passing, retries: 0, invokes: 0 }];
    let invokeErrors = 0;
    while (work.length && !this.disposed) {
      const item = work[0];
      if (!(await this.dropExpired(item))) {
        work.shift();
        continue;
      }
      const event = { Records: item.records.map((record) => streamEventRecord(record, this.s.eventContext)) };
      const { result, error } = await context.invokeBatch(mapping.functionName, event);
      if (this.disposed) return;
      if (!result) {
        // Throttles and start failures do not count as retries: the records wait until they succeed or expire.
        context.log(mapping.functionName, `${mapping.id}: could not invoke ${mapping.functionName} for ${this.s.shard.shardId}: ${error}; retrying.`);
        context.reportBatch({ mappingId: mapping.id, functionName: mapping.functionName, event, outcome: { kind: 'failure', reason: error ?? 'invoke failed' } });
        await this.sleep(Math.min(RETRY_DELAY_MS * 2 ** invokeErrors++, MAX_INVOKE_ERROR_DELAY_MS) * context.timeScale, false);
        continue;
      }
      item.invokes++;
      item.lastResult = result;
      const outcome = this.checkpointOutcome(judgeBatchResponse(result, mapping.reportBatchItemFailures), item.records);
      context.reportBatch({ mappingId: mapping.id, functionName: mapping.functionName, event, result, outcome });
      if (outcome.kind === 'success') {
        work.shift();
        continue;
      }
      if (outcome.kind === 'partial') {
        // Records before the checkpoint (the lowest reported sequence number) are done.
        const checkpoint = BigInt(outcome.failedIds[0]);
        const remaining = item.records.filter((record) => BigInt(record.sequenceNumber) >= checkpoint);
        const progressed = remaining.length < item.records.length;
        item.records = remaining;
        // With BisectBatchOnFunctionError the batch is split at the checkpoint, which uses no retry.
        if (progressed && mapping.bisectBatchOnFunctionError) continue;
      } else if (mapping.bisectBatchOnFunctionError && item.records.length > 1) {
        const middle = Math.ceil(item.records.length / 2);
        work.splice(0, 1, { ...item, records: item.records.slice(0, middle) }, { ...item, records: item.records.slice(middle) });
        context.log(mapping.functionName, `${mapping.id}: batch of ${item.records.length} records failed (${outcome.reason}); bisecting into ${middle} and ${item.records.length - middle}.`);
        continue;
      }
      item.retries++;
      if (mapping.maximumRetryAttempts !== -1 && item.retries > mapping.maximumRetryAttempts) {
        await this.discard(item, 'RetryAttemptsExhausted');
        work.shift();
        continue;
      }
      await this.sleep(RETRY_DELAY_MS * context.timeScale, false);
    }
  }

  /**
   * A partial response names sequence numbers: the lowest is the checkpoint. An identifier that is not a sequence number
   * fails the whole batch; a checkpoint past every record of the batch means complete success.
   */
  private checkpointOutcome(outcome: BatchOutcome, records: StreamRecord[]): BatchOutcome {
    if (outcome.kind !== 'partial') return outcome;
    const invalid = outcome.failedIds.find((id) => !/^\d+$/.test(id));
    if (invalid !== undefined) return { kind: 'failure', reason: `itemIdentifier '${invalid}' is not a sequence number` };
    const lowest = outcome.failedIds.map((id) => BigInt(id)).reduce((a, b) => (b < a ? b : a));
    if (!records.some((record) => BigInt(record.sequenceNumber) >= lowest)) return { kind: 'success' };
    return { kind: 'partial', failedIds: [lowest.toString()] };
  }

  /** MaximumRecordAgeInSeconds: expired records are discarded; false when nothing of the batch is left. */
  private async dropExpired(item: PendingBatch): Promise<boolean> {
    const { maximumRecordAgeSeconds } = this.s.mapping;
    if (maximumRecordAgeSeconds === -1) return true;
    const oldest = Date.now() - maximumRecordAgeSeconds * 1000 * this.s.context.timeScale;
    const expired = item.records.filter((record) => record.arrivalTime < oldest);
    if (!expired.length) return true;
    await this.discard({ ...item, records: expired }, 'RecordAgeExceeded');
    item.records = item.records.filter((record) => record.arrivalTime >= oldest);
    return item.records.length > 0;
  }

  private async discard(item: PendingBatch, condition: DiscardCondition): Promise<void> {
    const { mapping, context } = this.s;
    const result = item.lastResult;
    const batchInfoKey = mapping.kind === 'kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo';
    const record = {
      requestContext: {
        requestId: result?.requestId ?? randomUUID(),
        functionArn: functionArn(context.region, context.accountId, mapping.functionName),
        condition,
        approximateInvokeCount: item.invokes,
      },
      ...(result
        ? { responseContext: { statusCode: result.statusCode, executedVersion: result.executedVersion, ...(result.functionError ? { functionError: result.functionError } : {}) } }
        : {}),
      version: '1.0',
      timestamp: new Date().toISOString(),
      [batchInfoKey]: streamBatchInfo(item.records, this.s.stream.arn),
    };
    await this.s.failureSink(mapping, record);
  }

  /** Waits `ms` (undefined: until woken); dispose always wakes. */
  private sleep(ms: number | undefined, wakeOnAppend: boolean): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.wakeOnAppend = wakeOnAppend;
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wakeUp(), ms);
      this.wake = () => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        this.wakeOnAppend = false;
        resolve();
      };
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }
}

/** Up to `size` records, and no more than 6 MB of them. */
function takeBatch(records: StreamRecord[], size: number): StreamRecord[] {
  const batch: StreamRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const recordBytes = record.content.kind === 'kinesis' ? record.content.data.length : JSON.stringify(record.content).length;
    if (batch.length >= size || (batch.length > 0 && bytes + recordBytes > MAX_BATCH_BYTES)) break;
    bytes += recordBytes;
    batch.push(record);
  }
  return batch;
}
