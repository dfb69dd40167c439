// Event source mappings, emulated locally: the template's queues and streams, and a poller per SQS / Kinesis / DynamoDB event.
import { WorkbenchError } from '../../common/errors';
import type { Disposable } from '../../common/disposable';
import { Emitter } from '../../common/events';
import type { FunctionRegistry } from '../functionRegistry';
import type { DynamoDbChange } from './dynamoDbChange';
import { failureDestination } from './failureDestination';
import type { LocalQueue, QueueCounts, SendMessageInput, SentMessage } from './localQueue';
import { LocalQueues, queueName } from './localQueues';
import { LocalStream, type PutResult } from './localStream';
import { readMappings, type EventSourceMapping, type SqsMapping, type StreamMapping } from './mappingConfig';
import { servicePollerContext, type BatchReport, type EventSourceService, type PollerContext } from './pollerContext';
import { SqsPoller } from './sqsPoller';
import { StreamPoller } from './streamPoller';
import { readTemplateEventResources, type QueueDefinition, type StreamDefinition, type StreamKind } from './templateResources';

export interface EventSourcesOptions {
  region?: string;
  accountId?: string;
  /** Multiplies visibility timeouts, batching windows, retry delays and record ages (1 = real time). */
  timeScale?: number;
  /** Template parameter values, as the functions were loaded with. */
  parameterOverrides?: Record<string, string>;
  /** The workspace's queues (the SQS API's); without it the event sources keep their own, in memory. */
  queues?: LocalQueues;
}

export type SendMessageOptions = Omit<SendMessageInput, 'body'>;

export interface EventSourcesOverview {
  queues: { name: string; arn: string; fifo: boolean; deadLetterQueue?: string; counts: QueueCounts }[];
  streams: { name: string; arn: string; kind: StreamKind; shards: { shardId: string; records: number }[] }[];
  mappings: { id: string; functionName: string; source: string; enabled: boolean; batchSize: number }[];
}

export class EventSources implements Disposable {
  private readonly streams = new Map<string, LocalStream>();
  private readonly pollers: Disposable[] = [];
  private readonly batches = new Emitter<BatchReport>();
  /** Fires after every batch a mapping hands to its function. */
  readonly onDidProcessBatch = this.batches.event;

  private constructor(
    readonly mappings: readonly EventSourceMapping[],
    /** Things in the template that are ignored or defaulted locally. */
    readonly warnings: readonly string[],
    private readonly queues: LocalQueues,
    private readonly ownsQueues: boolean,
  ) {}

  /**
   * Creates the queues and streams of the registry's templates and of its functions' SQS, Kinesis and DynamoDB events,
   * and starts polling. Errors: TEMPLATE_INVALID for a mapping Lambda would reject.
   */
  static async start(service: EventSourceService, registry: FunctionRegistry, options: EventSourcesOptions = {}): Promise<EventSources> {
    const warnings: string[] = [];
    const specs = registry.list();
    const mappings = specs.flatMap((spec) => readMappings(spec, warnings));
    const templates = [...new Set(specs.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
    const resources = await readTemplateEventResources(templates, options.parameterOverrides ?? {}, warnings);
    const region = options.region ?? 'us-east-1';
    const accountId = options.accountId ?? '123456789012';
    const timeScale = options.timeScale ?? 1;
    const queues = options.queues ?? new LocalQueues({ region, accountId, timeScale });
    await queues.ready();
    const sources = new EventSources(mappings, warnings, queues, options.queues === undefined);
    const context = servicePollerContext(service, { region, accountId, timeScale }, (report) => sources.batches.fire(report));
    try {
      sources.createQueues(resources.queues, mappings);
      sources.createStreams(resources.streams, mappings);
      for (const mapping of mappings) {
        const spec = registry.get(mapping.functionName);
        // SAM points the mappings of a function with AutoPublishAlias at the alias.
        const target = { ...mapping, functionName: spec?.autoPublishAlias ? `${mapping.functionName}:${spec.autoPublishAlias}` : mapping.functionName };
        if (target.kind === 'sqs') sources.startSqs(target, spec?.timeoutSeconds ?? 3, context);
        else sources.startStream(target, context, service, registry, accountId);
      }
    } catch (error) {
      await sources.dispose();
      throw error;
    }
    return sources;
  }

  sendMessage(queue: string, body: string, options: SendMessageOptions = {}): SentMessage {
    return this.queue(queue).send({ ...options, body });
  }

  putRecord(stream: string, data: Buffer | string, partitionKey: string): PutResult {
    return this.stream(stream).putRecord(typeof data === 'string' ? Buffer.from(data) : data, partitionKey);
  }

  putDynamoDbChange(stream: string, change: DynamoDbChange): PutResult {
    return this.stream(stream).putChange(change);
  }

  /** A queue by name or ARN; EVENT_SOURCE_NOT_FOUND lists the queues there are. */
  queue(nameOrArn: string): LocalQueue {
    const queue = this.findQueue(nameOrArn);
    if (queue) return queue;
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No local queue named '${nameOrArn}'. Queues: ${this.queues.list().map((q) => q.name).join(', ') || '(none)'}.`);
  }

  /** A Kinesis stream or DynamoDB table stream by name or ARN. */
  stream(nameOrArn: string): LocalStream {
    const stream = this.streams.get(streamName(nameOrArn)) ?? this.streams.get(nameOrArn);
    if (stream) return stream;
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No local stream named '${nameOrArn}'. Streams: ${[...this.streams.keys()].join(', ') || '(none)'}.`);
  }

  overview(): EventSourcesOverview {
    return {
      queues: this.queues.list().map((queue) => ({
        name: queue.name,
        arn: queue.arn,
        fifo: queue.definition.fifo,
        ...(queue.definition.redrivePolicy ? { deadLetterQueue: queueName(queue.definition.redrivePolicy.deadLetterTargetArn) } : {}),
        counts: queue.counts(),
      })),
      streams: [...this.streams.values()].map((stream) => ({
        name: stream.name,
        arn: stream.arn,
        kind: stream.definition.kind,
        shards: stream.shards.map((shard) => ({ shardId: shard.shardId, records: shard.records.length })),
      })),
      mappings: this.mappings.map((mapping) => ({
        id: mapping.id,
        functionName: mapping.functionName,
        source: mapping.kind === 'sqs' ? mapping.queueArn : mapping.streamArn,
        enabled: mapping.enabled,
        batchSize: mapping.batchSize,
      })),
    };
  }

  async dispose(): Promise<void> {
    for (const poller of this.pollers.splice(0)) await poller.dispose();
    if (this.ownsQueues) await this.queues.dispose();
    for (const stream of this.streams.values()) stream.dispose();
    this.batches.dispose();
  }

  private findQueue(nameOrArn: string): LocalQueue | undefined {
    return this.queues.find(nameOrArn);
  }

  /** The template's queues, plus queues that only a mapping or a redrive policy names (with SQS defaults). */
  private createQueues(defined: QueueDefinition[], mappings: EventSourceMapping[]): void {
    for (const definition of defined) this.queues.ensure(definition);
    const referenced = [
      ...mappings.flatMap((mapping) => (mapping.kind === 'sqs' ? [mapping.queueArn] : [])),
      ...defined.flatMap((definition) => (definition.redrivePolicy ? [definition.redrivePolicy.deadLetterTargetArn] : [])),
    ];
    for (const arn of referenced) this.queues.create({ name: queueName(arn), arn });
  }

  private createStreams(defined: StreamDefinition[], mappings: EventSourceMapping[]): void {
    for (const definition of defined) this.streams.set(definition.name, new LocalStream(definition));
    for (const mapping of mappings) {
      if (mapping.kind === 'sqs') continue;
      const name = streamName(mapping.streamArn);
      const existing = this.streams.get(name);
      if (existing && existing.definition.kind !== mapping.kind) {
        throw new WorkbenchError('TEMPLATE_INVALID', `${mapping.id}: ${mapping.streamArn} is a ${existing.definition.kind} stream, not a ${mapping.kind} stream.`);
      }
      if (!existing) {
        const definition: StreamDefinition = { kind: mapping.kind, name, arn: mapping.streamArn, shardCount: 1, ...(mapping.kind === 'dynamodb' ? { streamViewType: 'NEW_AND_OLD_IMAGES' as const } : {}) };
        this.streams.set(name, new LocalStream(definition));
      }
    }
  }

  private startSqs(mapping: SqsMapping, functionTimeoutSeconds: number, context: PollerContext): void {
    const queue = this.queue(mapping.queueArn);
    if (queue.definition.fifo) {
      if (mapping.batchSize > 10) throw new WorkbenchError('TEMPLATE_INVALID', `${mapping.id}: BatchSize is ${mapping.batchSize}, but ${queue.name} is a FIFO queue: at most 10.`);
      if (mapping.batchingWindowSeconds > 0) throw new WorkbenchError('TEMPLATE_INVALID', `${mapping.id}: MaximumBatchingWindowInSeconds is not supported for the FIFO queue ${queue.name}.`);
    }
    if (queue.definition.visibilityTimeoutSeconds < functionTimeoutSeconds) {
      throw new WorkbenchError(
        'TEMPLATE_INVALID',
        `${mapping.id}: the visibility timeout of ${queue.name} (${queue.definition.visibilityTimeoutSeconds} s) is less than the function timeout (${functionTimeoutSeconds} s); Lambda refuses this mapping.`,
        { hint: `Set VisibilityTimeout of ${queue.name} to at least ${functionTimeoutSeconds} (AWS recommends 6 times the function timeout).` },
      );
    }
    const poller = new SqsPoller(mapping, queue, context, functionTimeoutSeconds);
    this.pollers.push(poller);
    poller.start();
  }

  private startStream(mapping: StreamMapping, context: PollerContext, service: EventSourceService, registry: FunctionRegistry, accountId: string): void {
    const stream = this.stream(mapping.streamArn);
    const baseName = mapping.functionName.split(':')[0];
    const poller = new StreamPoller(mapping, stream, context, {
      streamArn: stream.arn,
      region: context.region,
      // SAM names a function's implicit execution role <LogicalId>Role.
      roleArn: `arn:aws:iam::${accountId}:role/${registry.get(baseName)?.logicalId ?? baseName}Role`,
      streamViewType: stream.definition.streamViewType ?? 'NEW_AND_OLD_IMAGES',
    }, failureDestination(service, registry, (nameOrArn) => this.findQueue(nameOrArn), context));
    this.pollers.push(poller);
    poller.start();
  }
}

/** The stream name in a Kinesis ARN (…:stream/name) or the table name in a DynamoDB stream ARN (…:table/name/stream/label). */
function streamName(nameOrArn: string): string {
  return /:table\/([^/]+)/.exec(nameOrArn)?.[1] ?? /:stream\/([^/]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
}
