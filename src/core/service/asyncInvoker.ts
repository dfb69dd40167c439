// Asynchronous invocation (InvocationType Event): the internal queue, retries, event age, destinations and dead-letter targets.
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../common/errors';
import type { LogSink } from '../logs/logRecord';
import type { FunctionSpec } from '../template/functionSpec';
import type { MessageAttributeValue } from './eventSources/localQueue';
import type { LocalQueues } from './eventSources/localQueues';
import { functionArn } from './functionRef';
import { ServiceError, type InvokeRequest, type InvokeResult } from './invocation';

export interface QueuedEvent {
  request: InvokeRequest;
  requestId: string;
  spec: FunctionSpec;
  version: string;
}

/** What the async queue needs from the service: run an attempt, invoke a destination function, write platform lines. */
export interface AsyncInvocationTarget {
  /** One synchronous attempt that waits for capacity instead of throttling when `queue` is set. */
  invokeSync(spec: FunctionSpec, version: string, invokedArn: string, request: InvokeRequest, requestId: string, queue: boolean): Promise<InvokeResult>;
  /** Any invocation by name (destinations and dead-letter targets that are functions of the workspace). */
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  readonly registry: { get(name: string): FunctionSpec | undefined };
  readonly logs: LogSink;
  /** The local SQS queues that SQS destinations and dead-letter queues deliver to. */
  readonly queues: LocalQueues;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

/** Lambda's retry waits after a function error: one minute, then two (contract §5.1). */
const ERROR_RETRY_DELAYS_MS = [60_000, 120_000];
/** A dead-letter message's ErrorMessage holds the first 1 KB of the error message. */
const DLQ_ERROR_MESSAGE_BYTES = 1024;
/** Throttles and system errors back off exponentially from 1 s to 5 minutes. */
const THROTTLE_BACKOFF_MS = { first: 1_000, max: 300_000 };

export class AsyncInvoker {
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;

  constructor(
    private readonly service: AsyncInvocationTarget,
    private readonly options: { timeScale: number; region: string; accountId: string },
  ) {}

  enqueue(event: QueuedEvent): void {
    this.schedule(() => this.attempt(event, 1, Date.now(), 0), 0);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(event: QueuedEvent, attempt: number, enqueuedAt: number, throttles: number): Promise<void> {
    const { spec } = event;
    const config = spec.eventInvokeConfig ?? {};
    const maxAgeMs = (config.maximumEventAgeInSeconds ?? 21_600) * 1000 * this.options.timeScale;
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
        if (Date.now() + wait - enqueuedAt > maxAgeMs) return this.deliver(event, 'EventAgeExceeded', attempt - 1, undefined);
        this.schedule(() => this.attempt(event, attempt, enqueuedAt, throttles + 1), wait);
        return;
      }
      // The function could not start (bad handler path, build error): Lambda counts that as a failed attempt.
      const payload = Buffer.from(JSON.stringify({ errorType: 'ServiceException', errorMessage: (error as Error).message }));
      result = { statusCode: 200, requestId: event.requestId, payload, functionError: 'Unhandled', executedVersion: event.version };
    }
    if (!result.functionError) return this.deliver(event, 'Success', attempt, result);

    const maxRetries = config.maximumRetryAttempts ?? 2;
    if (attempt > maxRetries) return this.deliver(event, 'RetriesExhausted', attempt, result);
    const wait = (ERROR_RETRY_DELAYS_MS[attempt - 1] ?? ERROR_RETRY_DELAYS_MS[1]) * this.options.timeScale;
    if (Date.now() + wait - enqueuedAt > maxAgeMs) return this.deliver(event, 'EventAgeExceeded', attempt, result);
    this.schedule(() => this.attempt(event, attempt + 1, enqueuedAt, throttles), wait);
  }

  /** Sends the invocation record to the configured destination (or the dead-letter target, for failures). */
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
    if (destination) {
      await this.send(event, destination, Buffer.from(JSON.stringify(record)), success ? 'OnSuccess' : 'OnFailure');
    } else if (!success && event.spec.deadLetterTarget) {
      // A dead-letter queue receives the original event only, with the request id and the error as message attributes.
      await this.send(event, event.spec.deadLetterTarget, event.request.payload, 'DeadLetterQueue', deadLetterAttributes(event.requestId, result));
    }
  }

  private async send(event: QueuedEvent, target: string, body: Buffer, kind: string, attributes: Record<string, MessageAttributeValue> = {}): Promise<void> {
    const targetFunction = /:function:([^:]+)/.exec(target)?.[1] ?? (this.service.registry.get(target) ? target : undefined);
    if (targetFunction && this.service.registry.get(targetFunction)) {
      await this.service.invoke({ functionName: targetFunction, payload: body, invocationType: 'Event' }).catch(() => undefined);
      return;
    }
    if (target.startsWith('arn:aws:sqs:')) {
      try {
        await this.service.queues.ready();
        // A queue that does not exist yet is made, so that nothing is lost (as if the stack had created it).
        const queue = this.service.queues.find(target) ?? this.service.queues.create({ name: target.split(':').pop() as string, arn: target });
        const fifo = queue.definition.fifo ? { messageGroupId: event.spec.functionName, messageDeduplicationId: randomUUID() } : {};
        queue.send({ body: body.toString('utf8'), messageAttributes: attributes, ...fifo });
        return;
      } catch (error) {
        return this.log(event, `${kind} ${target}: the message could not be sent (${errorMessage(error)}); the record is: ${body.toString('utf8')}`);
      }
    }
    this.log(event, `${kind} ${target} is not a function or queue of this workspace; the record is: ${body.toString('utf8')}`);
  }

  private log(event: QueuedEvent, text: string): void {
    this.service.logs.write({ functionName: event.spec.functionName, instanceId: 'async', requestId: event.requestId, source: 'platform', text, time: Date.now() });
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
