// Lambda's SQS poller for one mapping: batches by size and window, invokes synchronously, deletes what succeeded (contract §5.3).
import type { Disposable } from '../../common/disposable';
import { judgeBatchResponse } from './batchResponse';
import { passesFilters } from './eventFilter';
import type { LocalQueue, QueueMessage } from './localQueue';
import type { SqsMapping } from './mappingConfig';
import type { PollerContext } from './pollerContext';
import { sqsRecord } from './sqsRecord';

/** A batch closes at 6 MB of payload, whatever the batch size (contract §5.2). */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;

export class SqsPoller implements Disposable {
  private active = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private windowElapsed = false;
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(
    private readonly mapping: SqsMapping,
    private readonly queue: LocalQueue,
    private readonly context: PollerContext,
    private readonly functionTimeoutSeconds: number,
  ) {
    this.subscription = queue.onDidChange(() => this.pump());
  }

  start(): void {
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.subscription.dispose();
  }

  /** Starts batches while there are messages and fewer than maximumConcurrency batches run. */
  private pump(): void {
    if (this.disposed || !this.mapping.enabled) return;
    while (this.active < this.mapping.maximumConcurrency) {
      const receivable = this.queue.receivableCount();
      if (receivable === 0) return;
      if (this.mapping.batchingWindowSeconds > 0 && receivable < this.mapping.batchSize && !this.windowElapsed) {
        // Wait for the window to fill the batch; a full batch (next pump) does not wait.
        this.windowTimer ??= setTimeout(() => {
          this.windowTimer = undefined;
          this.windowElapsed = true;
          this.pump();
        }, this.mapping.batchingWindowSeconds * 1000 * this.context.timeScale);
        return;
      }
      if (!this.receiveBatch()) return;
    }
  }

  private receiveBatch(): boolean {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.windowElapsed = false;
    const messages = this.queue.receive(this.mapping.batchSize, { visibilityTimeoutSeconds: this.visibilityTimeoutSeconds(), maxBytes: MAX_BATCH_BYTES });
    if (!messages.length) return false;
    this.active++;
    void this.process(messages).finally(() => {
      this.active--;
      this.pump();
    });
    return true;
  }

  /** "(batch window) + (function timeout) > (visibility timeout)" makes the effective timeout window + timeout + 30 s. */
  private visibilityTimeoutSeconds(): number {
    const window = this.mapping.batchingWindowSeconds;
    const configured = this.queue.definition.visibilityTimeoutSeconds;
    return window > 0 && window + this.functionTimeoutSeconds > configured ? window + this.functionTimeoutSeconds + 30 : configured;
  }

  private async process(messages: QueueMessage[]): Promise<void> {
    try {
      await this.invoke(messages);
    } finally {
      // Whatever was not deleted becomes visible again when its visibility timeout ends.
      for (const message of messages) this.queue.settle(message.receiptHandle as string);
    }
  }

  private async invoke(received: QueueMessage[]): Promise<void> {
    const { functionName, id: mappingId } = this.mapping;
    // Messages the filters leave out are deleted without reaching the function, as Lambda does.
    const records = new Map(received.map((message) => [message, sqsRecord(message, this.queue.arn, this.context.region)]));
    const messages = received.filter((message) => passesFilters(this.mapping.filterPatterns, records.get(message) as object));
    for (const message of received) if (!messages.includes(message)) this.queue.delete(message.receiptHandle as string);
    if (messages.length === 0) return;
    const event = { Records: messages.map((message) => records.get(message)) };
    const { result, error } = await this.context.invokeBatch(functionName, event);
    if (this.disposed) return;
    if (!result) {
      this.context.log(functionName, `${mappingId}: could not invoke ${functionName} with ${messages.length} messages from ${this.queue.name}: ${error}; they become visible again after the visibility timeout.`);
      this.context.reportBatch({ mappingId, functionName, event, outcome: { kind: 'failure', reason: error ?? 'invoke failed' } });
      return;
    }
    const outcome = judgeBatchResponse(result, this.mapping.reportBatchItemFailures, new Set(messages.map((m) => m.messageId)));
    if (outcome.kind === 'success') {
      for (const message of messages) this.queue.delete(message.receiptHandle as string);
    } else if (outcome.kind === 'partial') {
      const failed = new Set(outcome.failedIds);
      for (const message of messages) if (!failed.has(message.messageId)) this.queue.delete(message.receiptHandle as string);
      this.warnFifoOrder(messages, failed);
    } else {
      this.context.log(functionName, `${mappingId}: batch of ${messages.length} messages from ${this.queue.name} failed: ${outcome.reason}; every message becomes visible again after the visibility timeout.`);
    }
    this.context.reportBatch({ mappingId, functionName, event, result, outcome });
  }

  /** FIFO: a handler should stop at its first failure and report the rest of the group, or the group's order breaks. */
  private warnFifoOrder(messages: QueueMessage[], failed: ReadonlySet<string>): void {
    if (!this.queue.definition.fifo) return;
    const failedGroups = new Set<string>();
    for (const message of messages) {
      const group = message.messageGroupId as string;
      if (failed.has(message.messageId)) failedGroups.add(group);
      else if (failedGroups.has(group)) {
        this.context.log(this.mapping.functionName, `${this.mapping.id}: message ${message.messageId} of group ${group} was deleted although an earlier message of its group failed; on a FIFO queue, stop at the first failure and report every failed and unprocessed message.`);
      }
    }
  }
}
