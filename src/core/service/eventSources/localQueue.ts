// A local SQS queue: visibility timeout, receive counts, redrive to a dead-letter queue, FIFO groups and deduplication, retention.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { WorkbenchError } from '../../common/errors';
import { Emitter } from '../../common/events';
import { md5OfAttributes, md5OfBody, messageSize } from './messageDigest';
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
  /** Message system attributes (AWSTraceHeader). */
  systemAttributes?: Record<string, MessageAttributeValue>;
  /** Required on FIFO queues. */
  messageGroupId?: string;
  /** FIFO queues without ContentBasedDeduplication need one. */
  messageDeduplicationId?: string;
  delaySeconds?: number;
}

export interface SentMessage {
  messageId: string;
  sequenceNumber?: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfSystemAttributes?: string;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttributeValue>>;
  readonly md5OfMessageAttributes?: string;
  readonly systemAttributes?: Readonly<Record<string, MessageAttributeValue>>;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly sequenceNumber?: string;
  /** Set when a redrive policy moved the message here: the queue it came from. */
  readonly deadLetterQueueSourceArn?: string;
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

/** What a queue keeps across restarts (<stateDir>/state/sqs). */
export interface QueueSnapshot {
  definition: QueueDefinition;
  createdTimestamp: number;
  lastModifiedTimestamp: number;
  tags: Record<string, string>;
  messages: QueueMessage[];
  nextSequence: string;
}

export interface QueueOptions {
  /** Multiplies every SQS duration (visibility timeout, delays, retention, the 5-minute deduplication window). */
  timeScale: number;
  /** The queue the redrive policy names, looked up when a message is moved. */
  deadLetterQueue: () => LocalQueue | undefined;
  /** SenderId of messages sent locally. */
  senderId: string;
  /** Called after every change worth saving (messages, settings). */
  onDidMutate?: () => void;
}

export type VisibilityChange = 'changed' | 'not-in-flight' | 'unknown-handle';

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** SQS's limit on a message (body and attributes) since 2025, and the default MaximumMessageSize. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** SQS keeps a message 4 days unless MessageRetentionPeriod says otherwise. */
const DEFAULT_RETENTION_SECONDS = 345_600;

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
  createdTimestamp = Date.now();
  lastModifiedTimestamp = this.createdTimestamp;
  tags: Record<string, string> = {};
  /** When the queue was last purged (SQS allows one purge a minute). */
  purgedTimestamp: number | undefined;

  constructor(
    public definition: QueueDefinition,
    private readonly options: QueueOptions,
    snapshot?: QueueSnapshot,
  ) {
    if (snapshot) {
      this.messages = snapshot.messages.map((message) => ({ ...message, processing: false }));
      this.createdTimestamp = snapshot.createdTimestamp;
      this.lastModifiedTimestamp = snapshot.lastModifiedTimestamp;
      this.tags = { ...snapshot.tags };
      this.nextSequence = BigInt(snapshot.nextSequence);
      this.schedule();
    }
  }

  get name(): string {
    return this.definition.name;
  }

  get arn(): string {
    return this.definition.arn;
  }

  /** The largest message (body and attributes) this queue accepts. */
  get maximumMessageSize(): number {
    return this.definition.maximumMessageSize ?? MAX_MESSAGE_BYTES;
  }

  /** Replaces the queue's settings (SetQueueAttributes, a template reloaded); messages stay. */
  configure(definition: QueueDefinition): void {
    this.definition = definition;
    this.lastModifiedTimestamp = Date.now();
    this.afterChange();
  }

  send(input: SendMessageInput): SentMessage {
    const now = Date.now();
    const attributes = input.messageAttributes ?? {};
    if (input.body.length === 0) throw new WorkbenchError('EVENT_INVALID', `A message to ${this.name} needs a non-empty body.`);
    const size = messageSize(input.body, attributes);
    if (size > this.maximumMessageSize) {
      throw new WorkbenchError('EVENT_INVALID', `A message (body and attributes) must be at most ${this.maximumMessageSize} bytes; this one is ${size}.`);
    }
    const fifo = this.definition.fifo;
    let deduplicationId = input.messageDeduplicationId;
    if (fifo) {
      if (!input.messageGroupId) throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue: a message needs a messageGroupId.`);
      if (input.delaySeconds) throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue: messages cannot have their own delaySeconds.`);
      deduplicationId ??= this.definition.contentBasedDeduplication ? createHash('sha256').update(input.body).digest('hex') : undefined;
      if (!deduplicationId) {
        throw new WorkbenchError('EVENT_INVALID', `${this.name} is a FIFO queue without ContentBasedDeduplication: a message needs a messageDeduplicationId.`);
      }
    } else if (input.messageDeduplicationId) {
      throw new WorkbenchError('EVENT_INVALID', `${this.name} is a standard queue: messageDeduplicationId applies to FIFO queues only.`);
    }
    const digests = {
      md5OfBody: md5OfBody(input.body),
      ...optionalDigest('md5OfMessageAttributes', md5OfAttributes(attributes)),
      ...optionalDigest('md5OfSystemAttributes', input.systemAttributes ? md5OfAttributes(input.systemAttributes) : undefined),
    };
    if (fifo && deduplicationId) {
      const previous = this.deduplication.get(deduplicationId);
      if (previous && previous.expiresAt > now) {
        return { messageId: previous.messageId, ...(previous.sequenceNumber ? { sequenceNumber: previous.sequenceNumber } : {}), ...digests };
      }
    }
    const delaySeconds = input.delaySeconds ?? this.definition.delaySeconds;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900) {
      throw new WorkbenchError('EVENT_INVALID', `delaySeconds must be an integer from 0 to 900, got ${delaySeconds}.`);
    }
    const message: QueueMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: digests.md5OfBody,
      messageAttributes: attributes,
      ...(digests.md5OfMessageAttributes ? { md5OfMessageAttributes: digests.md5OfMessageAttributes } : {}),
      ...(input.systemAttributes ? { systemAttributes: input.systemAttributes } : {}),
      sentTimestamp: now,
      senderId: this.options.senderId,
      receiveCount: 0,
      visibleAt: now + this.scaled(delaySeconds * 1000),
      processing: false,
      ...(input.messageGroupId !== undefined ? { messageGroupId: input.messageGroupId } : {}),
      ...(fifo ? { messageDeduplicationId: deduplicationId, sequenceNumber: (this.nextSequence++).toString() } : {}),
    };
    if (fifo && deduplicationId) {
      this.deduplication.set(deduplicationId, { messageId: message.messageId, sequenceNumber: message.sequenceNumber, expiresAt: now + this.scaled(DEDUPLICATION_WINDOW_MS) });
    }
    this.messages.push(message);
    this.afterChange();
    return { messageId: message.messageId, ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}), ...digests };
  }

  /** A message moved here by another queue's redrive policy keeps its id, body and attributes. */
  acceptRedriven(message: QueueMessage, sourceArn: string): void {
    const { receiptHandle: _handle, firstReceiveTimestamp: _first, processing: _processing, ...kept } = message;
    this.messages.push({ ...kept, deadLetterQueueSourceArn: sourceArn, receiveCount: 0, visibleAt: Date.now(), processing: false });
    this.afterChange();
  }

  /**
   * Takes out the messages a dead-letter redrive moves (StartMessageMoveTask): those moved here by a redrive policy and
   * not in flight, the oldest first, `limit` at most. The caller hands each to the queue of its `deadLetterQueueSourceArn`.
   */
  takeRedrivable(limit = Infinity): QueueMessage[] {
    const taken = this.redrivable().slice(0, limit);
    if (!taken.length) return [];
    this.messages = this.messages.filter((message) => !taken.includes(message));
    this.afterChange();
    return taken;
  }

  /** How many messages a redrive would move now. */
  redrivableCount(): number {
    return this.redrivable().length;
  }

  private redrivable(): QueueMessage[] {
    const now = Date.now();
    return this.messages.filter((message) => message.deadLetterQueueSourceArn !== undefined && !message.processing && message.visibleAt <= now);
  }

  /** A message a redrive moves back from the dead-letter queue: received afresh, with its id, body and attributes. */
  acceptMovedBack(message: QueueMessage): void {
    const { receiptHandle: _handle, firstReceiveTimestamp: _first, processing: _processing, deadLetterQueueSourceArn: _source, ...kept } = message;
    this.messages.push({ ...kept, receiveCount: 0, visibleAt: Date.now(), processing: false });
    this.afterChange();
  }

  /** How many messages a receive would return now (FIFO: only from groups with nothing in flight). */
  receivableCount(): number {
    return this.receivable(Date.now()).length;
  }

  /**
   * Receives up to `max` messages (and at most `maxBytes` of bodies), hiding them for the visibility timeout.
   * A message already received maxReceiveCount times moves to the dead-letter queue instead. `holdUntilSettled` (the
   * pollers') keeps the messages hidden until `settle`, past their visibility timeout; API receives do not hold them.
   */
  receive(max: number, options: { visibilityTimeoutSeconds?: number; maxBytes: number; holdUntilSettled?: boolean }): QueueMessage[] {
    const now = Date.now();
    this.expire(now);
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
      message.receiptHandle = Buffer.from(`${this.name} ${message.messageId} ${randomBytes(24).toString('base64url')}`).toString('base64');
      message.visibleAt = now + visibilityMs;
      message.processing = options.holdUntilSettled ?? true;
      batch.push({ ...message });
    }
    if (batch.length) {
      this.schedule();
      this.mutated();
    }
    return batch;
  }

  /** Deletes the message this receipt handle belongs to, if the handle is still current. */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    // FIFO: deleting a group's in-flight message unblocks the group's next message.
    if (this.definition.fifo) this.notify();
    this.mutated();
    return true;
  }

  /** ChangeMessageVisibility: the message of a current receipt handle becomes visible `seconds` from now (0: at once). */
  changeVisibility(receiptHandle: string, seconds: number): VisibilityChange {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) return 'unknown-handle';
    const now = Date.now();
    if (message.visibleAt <= now && !message.processing) return 'not-in-flight';
    message.visibleAt = now + this.scaled(seconds * 1000);
    this.afterChange();
    return 'changed';
  }

  /** PurgeQueue: every message goes. */
  purge(): void {
    this.purgedTimestamp = Date.now();
    this.messages = [];
    this.deduplication.clear();
    this.afterChange();
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

  snapshot(): QueueSnapshot {
    return {
      definition: this.definition,
      createdTimestamp: this.createdTimestamp,
      lastModifiedTimestamp: this.lastModifiedTimestamp,
      tags: this.tags,
      messages: this.peek(),
      nextSequence: this.nextSequence.toString(),
    };
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
    const fifo = this.definition.fifo;
    for (const message of this.messages) {
      const group = fifo ? message.messageGroupId : undefined;
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

  /** Messages older than the retention period are gone, received or not. */
  private expire(now: number): void {
    const retentionMs = this.scaled((this.definition.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000);
    const kept = this.messages.filter((message) => message.processing || now - message.sentTimestamp < retentionMs);
    if (kept.length === this.messages.length) return;
    this.messages = kept;
    this.mutated();
  }

  private redriveExhausted(now: number): void {
    const policy = this.definition.redrivePolicy;
    const target = policy && this.options.deadLetterQueue();
    if (!policy || !target) return;
    const moved = this.messages.filter((message) => !message.processing && message.visibleAt <= now && message.receiveCount >= policy.maxReceiveCount);
    if (!moved.length) return;
    this.messages = this.messages.filter((message) => !moved.includes(message));
    for (const message of moved) target.acceptRedriven(message, this.arn);
    this.mutated();
  }

  private afterChange(): void {
    this.schedule();
    this.notify();
    this.mutated();
  }

  private mutated(): void {
    if (!this.disposed) this.options.onDidMutate?.();
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

function optionalDigest<K extends string>(key: K, digest: string | undefined): Partial<Record<K, string>> {
  return digest === undefined ? {} : ({ [key]: digest } as Record<K, string>);
}
