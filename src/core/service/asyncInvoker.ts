// Asynchronous invocation (InvocationType Event): the durable queue (asyncJournal.ts), retries, event age, destinations and dead-letter targets.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { errorMessage } from '../common/errors';
import { Emitter } from '../common/events';
import type { LogSink } from '../logs/logRecord';
import type { FunctionSpec } from '../template/functionSpec';
import { AsyncJournal, type JournaledEvent, type PendingEvent, type RetryState } from './asyncJournal';
import type { MessageAttributeValue } from './eventSources/localQueue';
import type { LocalQueues } from './eventSources/localQueues';
import type { LocalEventBuses } from './eventBridge/localEventBuses';
import type { LocalTopics } from './topics/localTopics';
import { functionArn } from './functionRef';
import { ServiceError, type InvokeRequest, type InvokeResult } from './invocation';

export interface QueuedEvent {
  request: InvokeRequest;
  requestId: string;
  spec: FunctionSpec;
  version: string;
}

/** A function as an Event invocation runs it: the version's spec with the invoked qualifier's EventInvokeConfig. */
export interface EventTarget {
  spec: FunctionSpec;
  version: string;
}

/** What the async queue needs from the service: run an attempt, find a destination function, write platform lines. */
export interface AsyncInvocationTarget {
  /** One synchronous attempt that waits for capacity instead of throttling when `queue` is set. */
  invokeSync(spec: FunctionSpec, version: string, invokedArn: string, request: InvokeRequest, requestId: string, queue: boolean): Promise<InvokeResult>;
  /** The function an Event invocation of `functionName:qualifier` runs (`version` when it was already chosen); throws when it is gone. */
  eventTarget(functionName: string, qualifier: string | undefined, version?: string): EventTarget;
  readonly registry: { get(name: string): FunctionSpec | undefined };
  readonly logs: LogSink;
  /** The local SQS queues that SQS destinations and dead-letter queues deliver to. */
  readonly queues: LocalQueues;
  /** The local EventBridge buses that EventBridge destinations put their events on. */
  readonly eventBuses: LocalEventBuses;
  /** The local SNS topics that SNS destinations and dead-letter topics publish to. */
  readonly topics: LocalTopics;
}

/** An Event invocation the queue holds: its attempt running now, or waiting for its time (a retry, a resumed event). */
export interface AsyncInvocationInfo {
  requestId: string;
  functionName: string;
  version: string;
  /** The attempt running now or next (1 is the first). */
  attempt: number;
  state: 'running' | 'waiting';
  /** Epoch ms of the next attempt, while waiting. */
  dueAt?: number;
  /** Epoch ms of acceptance. */
  acceptedAt: number;
  /** Where the outcome goes: the OnSuccess / OnFailure destinations, and the dead-letter target when there is no OnFailure. */
  destinations: { onSuccess?: string; onFailure?: string; deadLetter?: string };
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

/** Lambda's retry waits after a function error: one minute, then two (contract §5.1). */
const ERROR_RETRY_DELAYS_MS = [60_000, 120_000];
/** A dead-letter message's ErrorMessage holds the first 1 KB of the error message. */
const DLQ_ERROR_MESSAGE_BYTES = 1024;
/** Throttles and system errors back off exponentially from 1 s to 5 minutes. */
const THROTTLE_BACKOFF_MS = { first: 1_000, max: 300_000 };

interface Attempt {
  event: QueuedEvent;
  /** Epoch ms of acceptance. */
  acceptedAt: number;
}

export class AsyncInvoker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;
  private unavailable: string | undefined;
  private readonly held = new Map<string, AsyncInvocationInfo>();
  private readonly changed = new Emitter<void>();
  /** Fires when an event is accepted, starts an attempt, waits for a retry or is done. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly service: AsyncInvocationTarget,
    private readonly journal: AsyncJournal,
    private readonly options: {
      timeScale: number;
      region: string;
      accountId: string;
      /** Told once when the journal cannot be written (and Event invocations are refused), and once when it can again. */
      onJournalProblem: (message: string) => void;
    },
  ) {}

  /**
   * Accepts an event once the journal holds it durably; a journal that cannot be written (disk full, read-only) refuses it
   * with a 429 TooManyRequestsException instead of accepting what a restart would lose.
   */
  async enqueue(event: QueuedEvent): Promise<void> {
    const acceptedAt = Date.now();
    try {
      await this.journal.accept(journaled(event, acceptedAt));
    } catch (error) {
      throw this.refusal(error as Error);
    }
    this.writable();
    this.hold(event, acceptedAt, 1, acceptedAt);
    this.schedule(() => this.attempt({ event, acceptedAt }, 1, 0), 0);
  }

  /** The events accepted and not yet done, oldest first. */
  inFlight(): AsyncInvocationInfo[] {
    return [...this.held.values()];
  }

  /**
   * Opens this service's journal and runs again what services that are gone (killed, crashed, stopped with retries
   * pending) accepted and did not finish, each at its next attempt's time. Resolves with lines for the user.
   */
  async recover(): Promise<string[]> {
    const lines: string[] = [];
    try {
      await this.journal.prepare();
    } catch (error) {
      lines.push(this.refusal(error as Error).message);
      return lines;
    }
    const { events, from } = await this.journal.adoptOrphans();
    for (const pending of events) this.resume(pending, lines);
    // A journal whose events had all finished (a service killed while idle) goes without a word.
    if (events.length) lines.push(`Resumed ${events.length} asynchronous invocation(s) accepted before a restart (${from.map((file) => path.basename(file).replace(/\.adopted-\d+$/, '')).join(', ')}).`);
    return lines;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.changed.dispose();
    // What is still pending stays in the journal: the next service runs it.
    await this.journal.close();
  }

  private resume({ event, retry }: PendingEvent, lines: string[]): void {
    let target: EventTarget;
    try {
      target = this.service.eventTarget(event.functionName, event.qualifier, event.version);
    } catch (error) {
      lines.push(`Asynchronous invocation ${event.requestId} of ${event.functionName} is dropped: ${(error as Error).message}`);
      void this.journal.done(event.requestId).catch(() => undefined);
      return;
    }
    const request: InvokeRequest = {
      functionName: event.functionName,
      payload: Buffer.from(event.payload, 'base64'),
      invocationType: 'RequestResponse',
      ...(event.qualifier !== undefined ? { qualifier: event.qualifier } : {}),
      ...(event.clientContext !== undefined ? { clientContext: event.clientContext } : {}),
      ...(event.traceId !== undefined ? { traceId: event.traceId } : {}),
      ...(event.tenantId !== undefined ? { tenantId: event.tenantId } : {}),
    };
    const queued: QueuedEvent = { request, requestId: event.requestId, spec: target.spec, version: target.version };
    const state = retry ?? { attempt: 1, throttles: 0, dueAt: event.acceptedAt };
    this.hold(queued, event.acceptedAt, state.attempt, state.dueAt);
    this.schedule(() => this.attempt({ event: queued, acceptedAt: event.acceptedAt }, state.attempt, state.throttles), Math.max(0, state.dueAt - Date.now()));
  }

  private async attempt(item: Attempt, attempt: number, throttles: number): Promise<void> {
    const { event, acceptedAt } = item;
    const { spec } = event;
    const config = spec.eventInvokeConfig ?? {};
    const maxAgeMs = (config.maximumEventAgeInSeconds ?? 21_600) * 1000 * this.options.timeScale;
    this.hold(event, acceptedAt, attempt);
    if (spec.reservedConcurrency === 0) {
      return this.deliver(event, 'ZeroReservedConcurrency', 0, undefined);
    }
    let result: InvokeResult;
    try {
      const arn = functionArn(this.options.region, this.options.accountId, spec.functionName, event.request.qualifier);
      result = await this.service.invokeSync(spec, event.version, arn, event.request, event.requestId, true);
    } catch (error) {
      if (this.disposed) return;
      if (error instanceof ServiceError && error.code === 'TooManyRequestsException') {
        const wait = Math.min(THROTTLE_BACKOFF_MS.first * 2 ** throttles, THROTTLE_BACKOFF_MS.max) * this.options.timeScale;
        if (Date.now() + wait - acceptedAt > maxAgeMs) return this.deliver(event, 'EventAgeExceeded', attempt - 1, undefined);
        this.retryLater(item, { attempt, throttles: throttles + 1, dueAt: Date.now() + wait });
        return;
      }
      // The function could not start (bad handler path, build error): Lambda counts that as a failed attempt.
      const payload = Buffer.from(JSON.stringify({ errorType: 'ServiceException', errorMessage: (error as Error).message }));
      result = { statusCode: 200, requestId: event.requestId, payload, functionError: 'Unhandled', executedVersion: event.version };
    }
    if (!result.functionError) return this.deliver(event, 'Success', attempt, result);
    // The service stopped under it (its environment was stopped): not an attempt; the journal keeps the event for the next service.
    if (this.disposed) return;

    const maxRetries = config.maximumRetryAttempts ?? 2;
    if (attempt > maxRetries) return this.deliver(event, 'RetriesExhausted', attempt, result);
    const wait = (ERROR_RETRY_DELAYS_MS[attempt - 1] ?? ERROR_RETRY_DELAYS_MS[1]) * this.options.timeScale;
    if (Date.now() + wait - acceptedAt > maxAgeMs) return this.deliver(event, 'EventAgeExceeded', attempt, result);
    this.retryLater(item, { attempt: attempt + 1, throttles, dueAt: Date.now() + wait });
  }

  private retryLater(item: Attempt, state: RetryState): void {
    this.journal.retry(item.event.requestId, state);
    this.hold(item.event, item.acceptedAt, state.attempt, state.dueAt);
    this.schedule(() => this.attempt(item, state.attempt, state.throttles), Math.max(0, state.dueAt - Date.now()));
  }

  /**
   * Sends the invocation record to the configured destination (or the dead-letter target, for failures) and marks the
   * event done; a destination function's invocation is accepted in the same journal write, a local SQS queue's message
   * is sent before it.
   */
  private async deliver(event: QueuedEvent, condition: Condition, invokeCount: number, result: InvokeResult | undefined): Promise<void> {
    const config = event.spec.eventInvokeConfig ?? {};
    const success = condition === 'Success';
    const destination = success ? config.onSuccess : config.onFailure;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: event.requestId,
        functionArn: functionArn(this.options.region, this.options.accountId, event.spec.functionName, event.version),
        condition,
        approximateInvokeCount: invokeCount,
      },
      requestPayload: parseJson(event.request.payload),
      ...(result
        ? {
            responseContext: {
              statusCode: 200,
              executedVersion: result.executedVersion,
              ...(result.functionError ? { functionError: result.functionError } : {}),
            },
            responsePayload: parseJson(result.payload),
          }
        : {}),
    };
    let next: QueuedEvent | undefined;
    if (destination) {
      next = await this.route(event, destination, Buffer.from(JSON.stringify(record)), success ? 'OnSuccess' : 'OnFailure');
    } else if (!success && event.spec.deadLetterTarget) {
      // A dead-letter queue receives the original event only, with the request id and the error as message attributes.
      next = await this.route(event, event.spec.deadLetterTarget, event.request.payload, 'DeadLetterQueue', deadLetterAttributes(event.requestId, result));
    }
    const acceptedAt = Date.now();
    this.release(event.requestId);
    if (next) this.hold(next, acceptedAt, 1, acceptedAt);
    try {
      await this.journal.done(event.requestId, next && journaled(next, acceptedAt));
    } catch (error) {
      // It ran; only a restart before the journal can be written again runs it once more.
      this.platformLine(event, `The asynchronous invocation journal could not record this event as done: ${(error as Error).message}`);
      if (!next) return;
      await this.enqueue(next).catch((refused: Error) => this.platformLine(event, refused.message));
      return;
    }
    if (next) {
      const queued = next;
      this.schedule(() => this.attempt({ event: queued, acceptedAt }, 1, 0), 0);
    }
  }

  /**
   * Delivers to a target: a local SQS queue gets the message now (nothing to journal); a function target resolves to the
   * Event invocation to journal.
   */
  private async route(event: QueuedEvent, target: string, body: Buffer, kind: string, attributes: Record<string, MessageAttributeValue> = {}): Promise<QueuedEvent | undefined> {
    if (target.startsWith('arn:aws:events:')) return this.putDestinationEvent(event, target, body, kind);
    if (target.startsWith('arn:aws:sns:')) {
      await this.publish(event, target, body, kind, attributes);
      return undefined;
    }
    if (!target.startsWith('arn:aws:sqs:')) return this.destinationEvent(event, target, body, kind);
    try {
      // The queues restored from the state directory must be loaded first, or their saved messages would be overwritten.
      await this.service.queues.ready();
      // A queue that does not exist yet is made, so that nothing is lost (as if the stack had created it).
      const queue = this.service.queues.find(target) ?? this.service.queues.create({ name: target.split(':').pop() as string, arn: target });
      const fifo = queue.definition.fifo ? { messageGroupId: event.spec.functionName, messageDeduplicationId: randomUUID() } : {};
      queue.send({ body: body.toString('utf8'), messageAttributes: attributes, ...fifo });
    } catch (error) {
      this.platformLine(event, `${kind} ${target}: the message could not be sent (${errorMessage(error)}); the record is: ${body.toString('utf8')}`);
    }
    return undefined;
  }

  /**
   * An EventBridge destination: the invocation record as the detail of a "Lambda Function Invocation Result - Success" (or
   * Failure) event from source lambda, put on the bus before the event is marked done.
   */
  private async putDestinationEvent(event: QueuedEvent, target: string, body: Buffer, kind: string): Promise<undefined> {
    const detail = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const context = detail.requestContext as { functionArn: string } | undefined;
    try {
      await this.service.eventBuses.putEvent(target, {
        version: '0',
        id: randomUUID(),
        'detail-type': `Lambda Function Invocation Result - ${kind === 'OnSuccess' ? 'Success' : 'Failure'}`,
        source: 'lambda',
        account: this.options.accountId,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.options.region,
        resources: [target, ...(context ? [context.functionArn] : [])],
        detail,
      });
    } catch (error) {
      this.platformLine(event, `${kind} ${target}: the event could not be put on the bus (${errorMessage(error)}); the record is: ${body.toString('utf8')}`);
    }
    return undefined;
  }

  /** A local SNS topic gets the record as its message (its subscribers' deliveries are made before this resolves). */
  private async publish(event: QueuedEvent, target: string, body: Buffer, kind: string, attributes: Record<string, MessageAttributeValue>): Promise<void> {
    try {
      await this.service.topics.ready();
      // A topic that does not exist yet is made, so that nothing is lost (as if the stack had created it).
      const topic = this.service.topics.find(target) ?? this.service.topics.create(target.split(':').pop() as string);
      const fifo = topic.attributes.FifoTopic === 'true' ? { messageGroupId: event.spec.functionName, messageDeduplicationId: randomUUID() } : {};
      await this.service.topics.publish(topic, { message: body.toString('utf8'), messageAttributes: attributes, ...fifo });
    } catch (error) {
      this.platformLine(event, `${kind} ${target}: the message could not be published (${errorMessage(error)}); the record is: ${body.toString('utf8')}`);
    }
  }

  /** The Event invocation of a destination that is a function of the workspace; other targets get a platform line. */
  private destinationEvent(event: QueuedEvent, target: string, body: Buffer, kind: string): QueuedEvent | undefined {
    const targetFunction = /:function:([^:]+)/.exec(target)?.[1] ?? (this.service.registry.get(target) ? target : undefined);
    if (targetFunction && this.service.registry.get(targetFunction)) {
      try {
        const { spec, version } = this.service.eventTarget(targetFunction, undefined);
        return { request: { functionName: targetFunction, payload: body, invocationType: 'RequestResponse' }, requestId: randomUUID(), spec, version };
      } catch (error) {
        this.platformLine(event, `${kind} ${target} cannot be invoked: ${(error as Error).message}`);
        return undefined;
      }
    }
    this.platformLine(event, `${kind} ${target} is not a function or queue of this workspace; the record is: ${body.toString('utf8')}`);
    return undefined;
  }

  private platformLine(event: QueuedEvent, text: string): void {
    this.service.logs.write({ functionName: event.spec.functionName, instanceId: 'async', requestId: event.requestId, source: 'platform', text, time: Date.now() });
  }

  /** The 429 for an event the journal cannot keep; the user is told once what is wrong and what to do. */
  private refusal(error: Error): ServiceError {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? 'the state directory is not writable'
        : 'it cannot be written';
    const message = `Rate Exceeded. Asynchronous invocations are refused: ${reason} (${error.message}), so the event could not be kept in the ` +
      `journal ${this.journal.file}. Free space or make the state directory writable; invocations are accepted again as soon as it can be written.`;
    if (this.unavailable === undefined) this.options.onJournalProblem(message);
    this.unavailable = message;
    return new ServiceError('TooManyRequestsException', message, { Type: 'Service' });
  }

  private writable(): void {
    if (this.unavailable === undefined) return;
    this.unavailable = undefined;
    this.options.onJournalProblem(`The asynchronous invocation journal ${this.journal.file} can be written again: Event invocations are accepted.`);
  }

  /** The event is in flight: its attempt runs now (no `dueAt`) or at `dueAt`. */
  private hold(event: QueuedEvent, acceptedAt: number, attempt: number, dueAt?: number): void {
    if (this.disposed) return;
    const config = event.spec.eventInvokeConfig ?? {};
    this.held.set(event.requestId, {
      requestId: event.requestId,
      functionName: event.spec.functionName,
      version: event.version,
      attempt,
      state: dueAt === undefined ? 'running' : 'waiting',
      ...(dueAt !== undefined ? { dueAt } : {}),
      acceptedAt,
      destinations: {
        ...(config.onSuccess ? { onSuccess: config.onSuccess } : {}),
        ...(config.onFailure ? { onFailure: config.onFailure } : {}),
        ...(event.spec.deadLetterTarget && !config.onFailure ? { deadLetter: event.spec.deadLetterTarget } : {}),
      },
    });
    this.changed.fire();
  }

  private release(requestId: string): void {
    if (this.held.delete(requestId) && !this.disposed) this.changed.fire();
  }

  private schedule(run: () => Promise<void>, delayMs: number): void {
    if (this.disposed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, delayMs);
    this.timers.add(timer);
  }
}

/** The journal's form of a queued event. */
function journaled(event: QueuedEvent, acceptedAt: number): JournaledEvent {
  const { request } = event;
  return {
    requestId: event.requestId,
    functionName: event.spec.functionName,
    ...(request.qualifier !== undefined ? { qualifier: request.qualifier } : {}),
    version: event.version,
    payload: request.payload.toString('base64'),
    ...(request.clientContext !== undefined ? { clientContext: request.clientContext } : {}),
    ...(request.traceId !== undefined ? { traceId: request.traceId } : {}),
    ...(request.tenantId !== undefined ? { tenantId: request.tenantId } : {}),
    acceptedAt,
  };
}

/** RequestID, ErrorCode (the HTTP status of the attempt) and ErrorMessage (the first 1 KB of the error's message), as Lambda sets them. */
function deadLetterAttributes(requestId: string, result: InvokeResult | undefined): Record<string, MessageAttributeValue> {
  const payload = result ? parseJson(result.payload) : undefined;
  const message = typeof payload === 'object' && payload !== null && typeof (payload as { errorMessage?: unknown }).errorMessage === 'string'
    ? (payload as { errorMessage: string }).errorMessage
    : result ? result.payload.toString('utf8') : 'Rate Exceeded.';
  return {
    RequestID: { dataType: 'String', stringValue: requestId },
    ErrorCode: { dataType: 'Number', stringValue: String(result ? result.statusCode : 429) },
    ErrorMessage: { dataType: 'String', stringValue: truncateUtf8(message || ' ', DLQ_ERROR_MESSAGE_BYTES) },
  };
}

function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  return buffer.length <= bytes ? text : buffer.subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return payload.toString('utf8');
  }
}
