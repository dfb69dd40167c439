// An in-memory SQS queue: visibility timeout, receive counts, redrive to a dead-letter queue, FIFO groups and deduplication.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { WorkbenchError } from '../../common/errors';
import { Emitter } from '../../common/events';
import type { QueueDefinition } from './templateResources';

/** A message attribute as the SQS event shows it. */
export interface MessageAttributeValue {
  dataType: string;
  stringValue?: string;
  /** Base64. */
  binaryValue?: string;
}

export interface SendMessageInput {
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  /** Required on FIFO queues. */
  messageGroupId?: string;
  /** FIFO queues without ContentBasedDeduplication need one. */
  messageDeduplicationId?: string;
  delaySeconds?: number;
}

export interface SentMessage {
  messageId: string;
  sequenceNumber?: string;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly sequenceNumber?: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The handle of the latest receive; a delete with an older one does nothing. */
  receiptHandle?: string;
  /** Epoch ms when the message can be received (again). */
  visibleAt: number;
  /** Received and its batch still running: never visible before the poller settles it. */
  processing: boolean;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface QueueOptions {
  /** Multiplies every SQS duration (visibility timeout, delays, the 5-minute deduplication window). */
  timeScale: number;
  /** The queue the redrive policy names, looked up when a message is moved. */
  deadLetterQueue: () => LocalQueue | undefined;
  /** SenderId of messages sent locally. */
  senderId: string;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** The SQS limit on a message body. */
const MAX_MESSAGE_BYTES = 256 * 1024;

export class LocalQueue {
  private messages: QueueMessage[] = [];
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber?: string; expiresAt: number }>();
  private readonly changed = new Emitter<void>();
  /** Fires when messages may have become receivable: sent, or back after their visibility timeout. */
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private notifyPending = false;
  private disposed = false;
  private nextSequence = 18_849_496_460_467_696_128n;

  constructor(
    readonly definition: QueueDefinition,
    private readonly options: QueueOptions,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  get arn(): string {
    return this.definition.arn;
  }

  send(input: SendMessageInput): SentMessage {
    const now = Date.now();
    const size = Buffer.byteLength(input.body);
    if (size === 0) throw new WorkbenchError('EVENT_INVALID', `A message to ${this.name} needs a non-empty body.`);
    if (size > MAX_MESSAGE_BYTES) throw new WorkbenchError('EVENT_INVALID', `A message body must be at most ${MAX_MESSAGE_BYTES} bytes; this one is ${size}.`);
    const fifo = this.definition.fifo;
    let deduplicationId = input.messageDeduplicationId;
    if (fifo) {
      if (!input.messageGroupId) throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue: a message needs a messageGroupId.`);
      if (input.delaySeconds) throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue: messages cannot have their own delaySeconds.`);
      deduplicationId ??= this.definition.contentBasedDeduplication ? createHash('sha256').update(input.body).digest('hex') : undefined;
      if (!deduplicationId) {
        throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue without ContentBasedDeduplication: a message needs a messageDeduplicationId.`);
      }
      const previous = this.deduplication.get(deduplicationId);
      if (previous && previous.expiresAt > now) return { messageId: previous.messageId, ...(previous.sequenceNumber ? { sequenceNumber: previous.sequenceNumber } : {}) };
    } else if (input.messageGroupId || input.messageDeduplicationId) {
      throw new WorkbenchError('EVENT_INVALID', `${this.name} is a standard queue: messageGroupId and messageDeduplicationId apply to FIFO queues only.`);
    }
    const delaySeconds = input.delaySeconds ?? this.definition.delaySeconds;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900) {
      throw new WorkbenchError('EVENT_INVALID', `delaySeconds must be an integer from 0 to 900, got ${delaySeconds}.`);
    }
    const message: QueueMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: createHash('md5').update(input.body).digest('hex'),
      messageAttributes: input.messageAttributes ?? {},
      sentTimestamp: now,
      senderId: this.options.senderId,
      receiveCount: 0,
      visibleAt: now + this.scaled(delaySeconds * 1000),
      processing: false,
      ...(fifo ? { messageGroupId: input.messageGroupId, messageDeduplicationId: deduplicationId, sequenceNumber: (this.nextSequence++).toString() } : {}),
    };
    if (fifo && deduplicationId) {
      this.deduplication.set(deduplicationId, { messageId: message.messageId, sequenceNumber: message.sequenceNumber, expiresAt: now + this.scaled(DEDUPLICATION_WINDOW_MS) });
    }
    this.messages.push(message);
    this.afterChange();
    return { messageId: message.messageId, ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}) };
  }

  /** A message moved here by another queue's redrive policy keeps its id, body and attributes. */
  acceptRedriven(message: QueueMessage): void {
    const { receiptHandle: _handle, firstReceiveTimestamp: _first, processing: _processing, ...kept } = message;
    this.messages.push({ ...kept, receiveCount: 0, visibleAt: Date.now(), processing: false });
    this.afterChange();
  }

  /** How many messages a receive would return now (FIFO: only from groups with nothing in flight). */
  receivableCount(): number {
    return this.receivable(Date.now()).length;
  }

  /**
   * Receives up to `max` messages (and at most `maxBytes` of bodies), hiding them for the visibility timeout.
   * A message already received maxReceiveCount times moves to the dead-letter queue instead.
   */
  receive(max: number, options: { visibilityTimeoutSeconds?: number; maxBytes: number }): QueueMessage[] {
    const now = Date.now();
    this.redriveExhausted(now);
    const visibilityMs = this.scaled((options.visibilityTimeoutSeconds ?? this.definition.visibilityTimeoutSeconds) * 1000);
    const batch: QueueMessage[] = [];
    let bytes = 0;
    for (const message of this.receivable(now)) {
      if (batch.length >= max) break;
      const size = Buffer.byteLength(message.body);
      if (batch.length > 0 && bytes + size > options.maxBytes) break;
      bytes += size;
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = randomBytes(48).toString('base64');
      message.visibleAt = now + visibilityMs;
      message.processing = true;
      batch.push({ ...message });
    }
    if (batch.length) this.schedule();
    return batch;
  }

  /** Deletes the message this receipt handle belongs to, if the handle is still current. */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    // FIFO: deleting a group's in-flight message unblocks the group's next message.
    if (this.definition.fifo) this.notify();
    return true;
  }

  /**
   * The batch holding this message has finished without deleting it: it becomes visible when its visibility timeout
   * ends. Until then it stays hidden even past that timeout, as on AWS, where the visibility timeout is at least the
   * function timeout (which timeScale shortens for the queue but not for the function).
   */
  settle(receiptHandle: string): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return;
    message.processing = false;
    this.schedule();
    if (message.visibleAt <= Date.now()) this.notify();
  }

  counts(): QueueCounts {
    const now = Date.now();
    const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages) {
      if (message.processing) counts.inFlight++;
      else if (message.visibleAt <= now) counts.visible++;
      else if (message.receiveCount > 0) counts.inFlight++;
      else counts.delayed++;
    }
    return counts;
  }

  /** Every message the queue holds, in order, without receiving them. */
  peek(): QueueMessage[] {
    return this.messages.map((message) => ({ ...message }));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.dispose();
  }

  private receivable(now: number): QueueMessage[] {
    const blockedGroups = new Set<string>();
    const result: QueueMessage[] = [];
    for (const message of this.messages) {
      const group = message.messageGroupId;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (message.processing || message.visibleAt > now) {
        // FIFO: a message in flight (or delayed) holds back the rest of its group.
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      result.push(message);
    }
    return result;
  }

  private redriveExhausted(now: number): void {
    const policy = this.definition.redrivePolicy;
    const target = policy && this.options.deadLetterQueue();
    if (!policy || !target) return;
    const moved = this.messages.filter((message) => !message.processing && message.visibleAt <= now && message.receiveCount >= policy.maxReceiveCount);
    if (!moved.length) return;
    this.messages = this.messages.filter((message) => !moved.includes(message));
    for (const message of moved) target.acceptRedriven(message);
  }

  private afterChange(): void {
    this.schedule();
    this.notify();
  }

  /** One notification per turn of the event loop: messages sent together are polled together. */
  private notify(): void {
    if (this.notifyPending || this.disposed) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      if (!this.disposed) this.changed.fire();
    });
  }

  /** One timer, for the next message that becomes visible. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const now = Date.now();
    const next = Math.min(...this.messages.filter((message) => message.visibleAt > now).map((message) => message.visibleAt));
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
      this.notify();
    }, next - now);
  }

  private scaled(ms: number): number {
    return ms * this.options.timeScale;
  }
}
