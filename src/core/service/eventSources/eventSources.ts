// Event source mappings, emulated locally: the template's queues and streams, and a poller per SQS / Kinesis / DynamoDB event.
import { randomUUID } from 'node:crypto';
import { isWorkbenchError, WorkbenchError } from '../../common/errors';
import type { Disposable } from '../../common/disposable';
import { Emitter } from '../../common/events';
import { stableUuid } from '../../common/stableUuid';
import type { StateStore } from '../../state/stateStore';
import type { LocalEventBuses } from '../eventBridge/localEventBuses';
import type { FunctionRegistry } from '../functionRegistry';
import type { LocalTopics } from '../topics/localTopics';
import { ServiceError } from '../invocation';
import type { DynamoDbChange } from './dynamoDbChange';
import { failureDestination } from './failureDestination';
import type { LocalQueue, QueueCounts, SendMessageInput, SentMessage } from './localQueue';
import { LocalQueues, queueName } from './localQueues';
import { LocalStream, type PutResult, type StreamSnapshot } from './localStream';
import { readMappings, type EventSourceMapping, type SqsMapping, type StreamMapping } from './mappingConfig';
import { servicePollerContext, type BatchReport, type EventSourceService, type PollerContext } from './pollerContext';
import { SqsPoller } from './sqsPoller';
import { StreamPoller } from './streamPoller';
import { StreamState, type ShardPositions } from './streamState';
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
  /** The workspace's SNS topics, where on-failure records of stream mappings with an SNS destination are published. */
  topics?: LocalTopics;
  /** The workspace's EventBridge buses: their rules' Kinesis targets put records on these streams while they run. */
  eventBuses?: LocalEventBuses;
  /**
   * Where mappings made through the Lambda API, the streams' records and the stream mappings' positions are kept across
   * restarts (none: they last as long as the process).
   */
  state?: StateStore;
}

/** A mapping's State as Lambda reports it; the -ing states last until the API has answered the request that began them. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/** One event source mapping as the Lambda API shows it. */
export interface MappingEntry {
  uuid: string;
  /** Declared in a template (read again at every start) or made through the Lambda API. */
  origin: 'template' | 'api';
  mapping: EventSourceMapping;
  state: MappingState;
  /** Epoch milliseconds of the last change. */
  lastModified: number;
}

interface RunningEntry extends MappingEntry {
  poller?: Disposable;
  /** A template mapping whose settings the API changed: saved, and applied again at the next start. */
  overridden?: boolean;
}

interface SavedMappings {
  mappings: Array<Pick<MappingEntry, 'uuid' | 'origin' | 'mapping' | 'lastModified'>>;
}

const STATE_DOCUMENT = 'event-source-mappings';

export type SendMessageOptions = Omit<SendMessageInput, 'body'>;

export interface EventSourcesOverview {
  queues: { name: string; arn: string; fifo: boolean; deadLetterQueue?: string; counts: QueueCounts }[];
  streams: { name: string; arn: string; kind: StreamKind; shards: { shardId: string; records: number }[] }[];
  mappings: { id: string; functionName: string; source: string; enabled: boolean; batchSize: number }[];
}

export class EventSources implements Disposable {
  private readonly streams = new Map<string, LocalStream>();
  /** The buses whose Kinesis targets put records on these streams (EventSourcesOptions.eventBuses). */
  private eventBuses: LocalEventBuses | undefined;
  private readonly entries = new Map<string, RunningEntry>();
  private readonly batches = new Emitter<BatchReport>();
  /** Fires after every batch a mapping hands to its function. */
  readonly onDidProcessBatch = this.batches.event;
  private readonly changes = new Emitter<void>();
  /** Fires when a mapping is created, changed or deleted, and when its State settles (the extension's view follows it). */
  readonly onDidChange = this.changes.event;
  private readonly context: PollerContext;
  private readonly streamState: StreamState;
  /** Per mapping UUID, the positions a stream mapping had reached in the last run. */
  private savedPositions = new Map<string, ShardPositions>();

  private constructor(
    /** Things in the template that are ignored or defaulted locally. */
    readonly warnings: readonly string[],
    private readonly service: EventSourceService,
    private readonly registry: FunctionRegistry,
    private readonly settings: { region: string; accountId: string; timeScale: number; state?: StateStore; topics?: LocalTopics },
    private readonly queues: LocalQueues,
    private readonly ownsQueues: boolean,
  ) {
    this.context = servicePollerContext(service, settings, (report) => this.batches.fire(report));
    this.streamState = new StreamState(settings.state);
  }

  /** The mappings' settings, the template's and the API's. */
  get mappings(): EventSourceMapping[] {
    return [...this.entries.values()].map((entry) => entry.mapping);
  }

  /**
   * Creates the queues and streams of the registry's templates and of its functions' SQS, Kinesis and DynamoDB events,
   * and starts polling. Errors: TEMPLATE_INVALID for a mapping Lambda would reject.
   */
  static async start(service: EventSourceService, registry: FunctionRegistry, options: EventSourcesOptions = {}): Promise<EventSources> {
    const warnings: string[] = [];
    const specs = registry.list();
    const declared = specs.flatMap((spec) => readMappings(spec, warnings));
    const templates = [...new Set(specs.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
    const resources = await readTemplateEventResources(templates, options.parameterOverrides ?? {}, warnings);
    const settings = {
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
      timeScale: options.timeScale ?? 1,
      ...(options.state ? { state: options.state } : {}),
      ...(options.topics ? { topics: options.topics } : {}),
    };
    const queues = options.queues ?? new LocalQueues({ region: settings.region, accountId: settings.accountId, timeScale: settings.timeScale });
    await queues.ready();
    const sources = new EventSources(warnings, service, registry, settings, queues, options.queues === undefined);
    const saved = new Map(((await options.state?.read<SavedMappings>(STATE_DOCUMENT))?.mappings ?? []).map((entry) => [entry.uuid, entry]));
    const mappings = declared.map((mapping) => {
      const spec = registry.get(mapping.functionName);
      // SAM points the mappings of a function with AutoPublishAlias at the alias (a mapping that names an alias keeps it).
      const target = { ...mapping, functionName: spec?.autoPublishAlias ? `${mapping.functionName}:${spec.autoPublishAlias}` : mapping.functionName };
      const uuid = templateMappingUuid(mapping.id);
      const changed = saved.get(uuid);
      // Settings changed through the API (Enabled, BatchSize, ...) stay changed while the template declares the same mapping.
      const current = changed?.origin === 'template' && sameSource(changed.mapping, target) ? changed.mapping : target;
      const overridden = current !== target;
      return { uuid, origin: 'template' as const, mapping: current, state: stateOf(current), lastModified: changed?.lastModified ?? Date.now(), overridden };
    });
    const restored = [...saved.values()].filter((entry) => entry.origin === 'api').map((entry) => ({ ...entry, state: stateOf(entry.mapping) }));
    const last = await sources.streamState.load();
    sources.savedPositions = last.positions;
    for (const problem of last.problems) warnings.push(`Saved stream records: ${problem}`);
    try {
      sources.createQueues(resources.queues);
      // Streams of the last run (the Kinesis API's too) come back with their records; the template's with its settings.
      for (const snapshot of last.streams.values()) sources.addLocalStream(snapshot.definition, snapshot);
      for (const definition of resources.streams) sources.addLocalStream(definition, last.streams.get(definition.name));
      for (const entry of mappings) sources.run(entry);
      for (const entry of restored) {
        try {
          sources.run(entry);
        } catch (error) {
          warnings.push(`Event source mapping ${entry.uuid} (made through the Lambda API) is not started: ${(error as Error).message}`);
        }
      }
      options.eventBuses?.useStreams(sources);
      sources.eventBuses = options.eventBuses;
    } catch (error) {
      await sources.dispose();
      throw error;
    }
    return sources;
  }

  // --- the Lambda API's view: every mapping with its UUID and State ---

  list(): MappingEntry[] {
    return [...this.entries.values()].map(entryView);
  }

  get(uuid: string): MappingEntry {
    const entry = this.entries.get(uuid);
    if (!entry) throw mappingNotFound();
    return entryView(entry);
  }

  /**
   * CreateEventSourceMapping: the mapping is Creating until `settle` (after the API answered), then it polls. A queue or
   * stream no template declares is created with the service's defaults. Refused: a second mapping of the same source and
   * function (ResourceConflictException), settings the source cannot take (InvalidParameterValueException).
   */
  async create(mapping: Omit<EventSourceMapping, 'id'>): Promise<MappingEntry> {
    const uuid = randomUUID();
    const created = { ...mapping, id: uuid } as EventSourceMapping;
    const duplicate = [...this.entries.values()].find((entry) => sameSource(entry.mapping, created));
    if (duplicate) throw duplicateMapping(duplicate);
    const entry: RunningEntry = { uuid, origin: 'api', mapping: created, state: 'Creating', lastModified: Date.now() };
    this.checkRequested(created);
    this.entries.set(uuid, entry);
    await this.save();
    return entryView(entry);
  }

  /** UpdateEventSourceMapping: Enabling / Disabling / Updating until `settle`; the pollers restart with the new settings then. */
  async update(uuid: string, mapping: EventSourceMapping): Promise<MappingEntry> {
    const entry = this.entries.get(uuid);
    if (!entry) throw mappingNotFound();
    this.checkRequested(mapping);
    const wasEnabled = entry.mapping.enabled;
    entry.mapping = { ...mapping, id: entry.mapping.id };
    entry.state = mapping.enabled === wasEnabled ? 'Updating' : mapping.enabled ? 'Enabling' : 'Disabling';
    entry.lastModified = Date.now();
    entry.overridden = entry.origin === 'template';
    await this.save();
    return entryView(entry);
  }

  /** DeleteEventSourceMapping: Deleting until `settle`, then gone. Template mappings are removed from the template instead. */
  async delete(uuid: string): Promise<MappingEntry> {
    const entry = this.entries.get(uuid);
    if (!entry) throw mappingNotFound();
    if (entry.origin === 'template') {
      throw new ServiceError('InvalidParameterValueException',
        `${entry.mapping.id} is declared in a template; remove it from the template instead (the template is read again at every start).`, { Type: 'User' });
    }
    entry.state = 'Deleting';
    this.changes.fire();
    return entryView(entry);
  }

  /** Ends the transition the API started (after it answered): pollers start, restart or stop. */
  async settle(uuid: string): Promise<void> {
    const entry = this.entries.get(uuid);
    if (!entry) return;
    const resume = entry.poller instanceof StreamPoller ? entry.poller.checkpoints() : undefined;
    await entry.poller?.dispose();
    delete entry.poller;
    if (entry.state === 'Deleting') {
      this.entries.delete(uuid);
      await this.save();
      return;
    }
    entry.state = stateOf(entry.mapping);
    this.startPoller(entry, resume);
    this.changes.fire();
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

  /** Resolves once every message sent so far is in the state directory (sqs.json), when the queues are kept there. */
  queuesSaved(): Promise<void> {
    return this.queues.saved();
  }

  /** Resolves once every record put so far is in the state directory (the APIs that put records answer after it). */
  recordsSaved(): Promise<void> {
    return this.streamState.saved();
  }

  /** A queue by name or ARN; EVENT_SOURCE_NOT_FOUND lists the queues there are. */
  queue(nameOrArn: string): LocalQueue {
    const queue = this.findQueue(nameOrArn);
    if (queue) return queue;
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No local queue named '${nameOrArn}'. Queues: ${this.queues.list().map((q) => q.name).join(', ') || '(none)'}.`);
  }

  /** A Kinesis stream or DynamoDB table stream by name or ARN. */
  stream(nameOrArn: string): LocalStream {
    const stream = this.findStream(nameOrArn);
    if (stream) return stream;
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No local stream named '${nameOrArn}'. Streams: ${[...this.streams.keys()].join(', ') || '(none)'}.`);
  }

  /** A stream by name or ARN, or undefined. */
  findStream(nameOrArn: string): LocalStream | undefined {
    return this.streams.get(streamName(nameOrArn)) ?? this.streams.get(nameOrArn);
  }

  listStreams(): LocalStream[] {
    return [...this.streams.values()];
  }

  /** A stream made through the Kinesis API (CreateStream); the caller checks that the name is free. */
  addStream(definition: StreamDefinition): LocalStream {
    return this.addLocalStream(definition);
  }

  /**
   * Deletes a stream (Kinesis DeleteStream) and its saved records. A mapping that reads it keeps its last records and
   * gets no new ones; a template's stream comes back, empty, at the next start.
   */
  async removeStream(name: string): Promise<void> {
    const stream = this.streams.get(name);
    if (!stream) return;
    this.streams.delete(name);
    stream.dispose();
    await this.streamState.forget(name);
    this.changes.fire();
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
    this.eventBuses?.useStreams(undefined);
    for (const entry of this.entries.values()) {
      await entry.poller?.dispose();
      delete entry.poller;
    }
    if (this.ownsQueues) await this.queues.dispose();
    await this.recordsSaved().catch(() => undefined);
    for (const stream of this.streams.values()) stream.dispose();
    this.batches.dispose();
    this.changes.dispose();
  }

  /** A stream (replacing one of the same name), kept in the state directory with every record appended. */
  private addLocalStream(definition: StreamDefinition, saved?: StreamSnapshot): LocalStream {
    this.streams.get(definition.name)?.dispose();
    const stream = new LocalStream(definition, saved);
    this.streams.set(definition.name, stream);
    this.streamState.keep(stream);
    return stream;
  }

  /** Every stream mapping's positions, saved after each batch. */
  private writePositions(): Promise<void> {
    const positions = new Map<string, ShardPositions>();
    for (const entry of this.entries.values()) {
      if (entry.poller instanceof StreamPoller) positions.set(entry.uuid, entry.poller.checkpoints());
    }
    return this.streamState.writePositions(positions);
  }

  private findQueue(nameOrArn: string): LocalQueue | undefined {
    return this.queues.find(nameOrArn);
  }

  /** The template's queues (kept in the shared LocalQueues) and the dead-letter queues their redrive policies name (queues only a mapping names: ensureQueue). */
  private createQueues(defined: QueueDefinition[]): void {
    for (const definition of defined) this.queues.ensure(definition);
    for (const definition of defined) if (definition.redrivePolicy) this.ensureQueue(definition.redrivePolicy.deadLetterTargetArn);
  }

  /** Starts an entry that is already settled (template mappings and restored API mappings at start). */
  private run(entry: RunningEntry): void {
    this.checkRunnable(entry.mapping);
    this.entries.set(entry.uuid, entry);
    this.startPoller(entry, this.savedPositions.get(entry.uuid));
  }

  /**
   * Creates the queue or stream a mapping reads when no template declares it, and checks what Lambda refuses before a
   * mapping can poll (for the API: InvalidParameterValueException; for templates: TEMPLATE_INVALID).
   */
  private checkRunnable(mapping: EventSourceMapping): void {
    if (mapping.kind === 'sqs') {
      this.ensureQueue(mapping.queueArn);
      this.checkSqs(mapping, this.functionTimeout(mapping));
    } else {
      this.ensureStream(mapping);
    }
  }

  /** checkRunnable for an API request: what a template gets as TEMPLATE_INVALID, Lambda answers with InvalidParameterValueException. */
  private checkRequested(mapping: EventSourceMapping): void {
    try {
      this.checkRunnable(mapping);
    } catch (error) {
      throw isWorkbenchError(error) ? new ServiceError('InvalidParameterValueException', error.message, { Type: 'User' }) : error;
    }
  }

  private startPoller(entry: RunningEntry, resume?: Map<string, number>): void {
    const { mapping } = entry;
    const poller = mapping.kind === 'sqs'
      ? new SqsPoller(mapping, this.queue(mapping.queueArn), this.context, this.functionTimeout(mapping))
      : this.streamPoller(mapping, resume);
    entry.poller = poller;
    poller.start();
    // A new stream mapping's starting place is saved at once: after a restart, LATEST must not skip what came meanwhile.
    if (poller instanceof StreamPoller) void this.writePositions().catch(() => undefined);
  }

  private functionTimeout(mapping: EventSourceMapping): number {
    return this.registry.get(mapping.functionName.split(':')[0] as string)?.timeoutSeconds ?? 3;
  }

  private checkSqs(mapping: SqsMapping, functionTimeoutSeconds: number): void {
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
  }

  private streamPoller(mapping: StreamMapping, resume: Map<string, number> | undefined): StreamPoller {
    const stream = this.stream(mapping.streamArn);
    const baseName = mapping.functionName.split(':')[0] as string;
    return new StreamPoller(mapping, stream, this.context, {
      streamArn: stream.arn,
      region: this.context.region,
      // SAM names a function's implicit execution role <LogicalId>Role.
      roleArn: `arn:aws:iam::${this.settings.accountId}:role/${this.registry.get(baseName)?.logicalId ?? baseName}Role`,
      streamViewType: stream.definition.streamViewType ?? 'NEW_AND_OLD_IMAGES',
    }, failureDestination(this.service, this.registry, (nameOrArn) => this.findQueue(nameOrArn), this.context, this.settings.topics), resume, () => this.writePositions());
  }

  /** A queue only a mapping (or a redrive policy) names is created with SQS's defaults. */
  private ensureQueue(arn: string): void {
    this.queues.create({ name: queueName(arn), arn });
  }

  private ensureStream(mapping: StreamMapping): void {
    const name = streamName(mapping.streamArn);
    const existing = this.streams.get(name);
    if (existing && existing.definition.kind !== mapping.kind) {
      throw new WorkbenchError('TEMPLATE_INVALID', `${mapping.id}: ${mapping.streamArn} is a ${existing.definition.kind} stream, not a ${mapping.kind} stream.`);
    }
    if (!existing) {
      const definition: StreamDefinition = { kind: mapping.kind, name, arn: mapping.streamArn, shardCount: 1, ...(mapping.kind === 'dynamodb' ? { streamViewType: 'NEW_AND_OLD_IMAGES' as const } : {}) };
      this.addLocalStream(definition);
    }
  }

  /** API-made mappings, and API changes to template mappings, for the next start. */
  private save(): Promise<void> {
    this.changes.fire();
    if (!this.settings.state) return Promise.resolve();
    const mappings = [...this.entries.values()]
      .filter((entry) => entry.state !== 'Deleting' && (entry.origin === 'api' || entry.overridden))
      .map(({ uuid, origin, mapping, lastModified }) => ({ uuid, origin, mapping, lastModified }));
    return this.settings.state.write(STATE_DOCUMENT, { mappings } satisfies SavedMappings);
  }
}

/** A template mapping's UUID, the same at every start: derived from `<function logical id>.<event id>`. */
export function templateMappingUuid(id: string): string {
  return stableUuid(`event-source-mapping:${id}`);
}

function sourceOf(mapping: EventSourceMapping): string {
  return mapping.kind === 'sqs' ? mapping.queueArn : mapping.streamArn;
}

function sameSource(a: EventSourceMapping, b: EventSourceMapping): boolean {
  return sourceOf(a) === sourceOf(b) && a.functionName === b.functionName && a.kind === b.kind;
}

function stateOf(mapping: EventSourceMapping): MappingState {
  return mapping.enabled ? 'Enabled' : 'Disabled';
}

function entryView({ uuid, origin, mapping, state, lastModified }: RunningEntry): MappingEntry {
  return { uuid, origin, mapping, state, lastModified };
}

function mappingNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The resource you requested does not exist.', { Type: 'User' });
}

function duplicateMapping(existing: RunningEntry): ServiceError {
  const { mapping } = existing;
  const functionName = mapping.functionName.split(':')[0];
  const message = mapping.kind === 'sqs'
    ? `An event source mapping with SQS arn (" ${mapping.queueArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`
    : `The event source arn (" ${mapping.streamArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`;
  return new ServiceError('ResourceConflictException', message, { Type: 'User' });
}

/** The stream name in a Kinesis ARN (…:stream/name) or the table name in a DynamoDB stream ARN (…:table/name/stream/label). */
function streamName(nameOrArn: string): string {
  return /:table\/([^/]+)/.exec(nameOrArn)?.[1] ?? /:stream\/([^/]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
}
