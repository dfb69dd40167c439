// Every local SQS queue of a workspace, by name: the template's and those made through the SQS API, kept in the state directory.
import { Emitter } from '../../common/events';
import { StateStore, stateRoot } from '../../state/stateStore';
import { LocalQueue, type QueueMessage, type QueueSnapshot } from './localQueue';
import { QUEUE_DEFAULTS, type QueueDefinition } from './templateResources';

export interface LocalQueuesOptions {
  /** Where queues and their messages are saved (<stateDir>/state/sqs.json); without it they live in memory only. */
  stateDir?: string;
  region?: string;
  accountId?: string;
  /** Multiplies every SQS duration. */
  timeScale?: number;
}

const DOCUMENT = 'sqs';

export class LocalQueues {
  private readonly queues = new Map<string, LocalQueue>();
  private readonly state: StateStore | undefined;
  private loading: Promise<void> | undefined;
  private savePending = false;
  /** The write scheduled for this turn of the event loop, else the last one. */
  private saving: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly changed = new Emitter<void>();
  /** Fires (at most once per turn of the event loop) after queues or their messages changed. */
  readonly onDidChange = this.changed.event;
  readonly region: string;
  readonly accountId: string;

  constructor(private readonly options: LocalQueuesOptions = {}) {
    this.state = options.stateDir ? new StateStore(stateRoot(options.stateDir)) : undefined;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
  }

  /** Restores the saved queues and messages, once. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** The ARN of a queue of this account. */
  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  /** A queue by name, ARN or queue URL. */
  find(nameOrArnOrUrl: string): LocalQueue | undefined {
    return this.queues.get(queueName(nameOrArnOrUrl));
  }

  list(): LocalQueue[] {
    return [...this.queues.values()];
  }

  /** The queues whose RedrivePolicy names `deadLetterQueue` as their dead-letter queue. */
  deadLetterSources(deadLetterQueue: LocalQueue): LocalQueue[] {
    return this.list().filter((queue) => queue.definition.redrivePolicy && this.find(queue.definition.redrivePolicy.deadLetterTargetArn) === deadLetterQueue);
  }

  /** A new queue with SQS's defaults for what the definition leaves out; an existing one of that name is returned as is. */
  create(definition: Partial<QueueDefinition> & { name: string }): LocalQueue {
    const existing = this.queues.get(definition.name);
    if (existing) return existing;
    const queue = this.make(withDefaults(definition, this.arnOf(definition.name)));
    this.save();
    return queue;
  }

  /** A template's queue: created, or reconfigured from the template (its messages stay). */
  ensure(definition: QueueDefinition): LocalQueue {
    const existing = this.queues.get(definition.name);
    if (!existing) return this.create(definition);
    if (JSON.stringify(existing.definition) !== JSON.stringify(definition)) existing.configure(definition);
    return existing;
  }

  /**
   * Redrives a dead-letter queue as StartMessageMoveTask does: each message a redrive policy moved there goes to
   * `destination`, or without one back to the queue it came from (messages of a queue that no longer exists stay).
   * Returns how many moved and how many stayed.
   */
  redrive(deadLetterQueue: LocalQueue, destination?: LocalQueue, limit = Infinity): { moved: number; kept: number } {
    let moved = 0;
    let kept = 0;
    const stay: QueueMessage[] = [];
    for (const message of deadLetterQueue.takeRedrivable(limit)) {
      const source = destination ?? this.find(message.deadLetterQueueSourceArn as string);
      if (source && source !== deadLetterQueue) {
        source.acceptMovedBack(message);
        moved++;
      } else {
        stay.push(message);
        kept++;
      }
    }
    for (const message of stay) deadLetterQueue.acceptRedriven(message, message.deadLetterQueueSourceArn as string);
    return { moved, kept };
  }

  delete(name: string): boolean {
    const queue = this.queues.get(name);
    if (!queue) return false;
    this.queues.delete(name);
    queue.dispose();
    this.save();
    return true;
  }

  /** False once disposed: work of its own (a message move task) stops then. */
  get open(): boolean {
    return !this.disposed;
  }

  /** Multiplies the queues' waits (visibility, delays, a move task's pace). */
  get timeScale(): number {
    return this.options.timeScale ?? 1;
  }

  /** Writes what is pending and stops every queue's timers. */
  async dispose(): Promise<void> {
    if (this.savePending) await this.write();
    this.disposed = true;
    await this.state?.flush();
    for (const queue of this.queues.values()) queue.dispose();
    this.changed.dispose();
  }

  private make(definition: QueueDefinition, snapshot?: QueueSnapshot): LocalQueue {
    const queue: LocalQueue = new LocalQueue(definition, {
      timeScale: this.options.timeScale ?? 1,
      deadLetterQueue: (): LocalQueue | undefined => (queue.definition.redrivePolicy ? this.find(queue.definition.redrivePolicy.deadLetterTargetArn) : undefined),
      senderId: `AIDA${this.accountId}LOCAL`,
      onDidMutate: () => this.save(),
    }, snapshot);
    this.queues.set(definition.name, queue);
    return queue;
  }

  private async load(): Promise<void> {
    const saved = await this.state?.read<{ queues: QueueSnapshot[] }>(DOCUMENT);
    for (const snapshot of saved?.queues ?? []) {
      if (!this.queues.has(snapshot.definition.name)) this.make(snapshot.definition, snapshot);
    }
  }

  /** Resolves once every change so far is in the state directory (a failed write was already reported by being lost). */
  saved(): Promise<void> {
    return this.saving;
  }

  /** One write per turn of the event loop, whatever changed in it. */
  private save(): void {
    if (this.savePending || this.disposed) return;
    this.savePending = true;
    this.saving = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (this.savePending && !this.disposed) return this.write();
      return undefined;
    });
  }

  private async write(): Promise<void> {
    this.savePending = false;
    if (!this.disposed) this.changed.fire();
    await this.state?.write(DOCUMENT, { queues: this.list().map((queue) => queue.snapshot()) }).catch(() => undefined);
  }
}

/** The queue name in an SQS ARN (arn:aws:sqs:region:account:name) or queue URL (…/account/name); a bare name as is. */
export function queueName(nameOrArnOrUrl: string): string {
  return nameOrArnOrUrl.split(/[:/]/).pop() ?? nameOrArnOrUrl;
}

function withDefaults(definition: Partial<QueueDefinition> & { name: string }, arn: string): QueueDefinition {
  return {
    arn,
    ...QUEUE_DEFAULTS,
    fifo: definition.name.endsWith('.fifo'),
    contentBasedDeduplication: false,
    ...definition,
  };
}
