// The workspace's EventBridge buses and rules (the template's and the API's, saved in the state directory), and PutEvents delivering matched events to targets.
import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../common/disposable';
import { errorMessage } from '../../common/errors';
import { Emitter } from '../../common/events';
import { StateStore, stateRoot } from '../../state/stateStore';
import type { LocalQueues } from '../eventSources/localQueues';
import type { LocalStream } from '../eventSources/localStream';
import type { LocalTopics } from '../topics/localTopics';
import type { InvokeRequest, InvokeResult } from '../invocation';
import { eventBridgeScheduledEvent } from '../schedules/localSchedules';
import { parseScheduleExpression } from '../schedules/scheduleExpression';
import { ScheduleTimers } from '../schedules/scheduleTimers';
import { matchesEventPattern, parseEventPattern, type EventPattern } from './eventPattern';
import { jsonPath, targetInput, type TargetInputSettings } from './targetInput';

export const DEFAULT_BUS = 'default';

/** A target as PutTargets takes it and ListTargetsByRule returns it (other members, such as RoleArn, are kept as given). */
export interface RuleTarget extends TargetInputSettings {
  Id: string;
  Arn: string;
  SqsParameters?: { MessageGroupId?: string };
  /** A JSON path into the event for the record's partition key (by default the event's id). */
  KinesisParameters?: { PartitionKeyPath?: string };
  [member: string]: unknown;
}

export interface RuleDefinition {
  name: string;
  eventBusName: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  roleArn?: string;
  targets: RuleTarget[];
  /** Rules of the template are read again at every start; the API's are saved. */
  origin: 'template' | 'api';
}

export interface EventBusDefinition {
  name: string;
  description?: string;
  creationTime: number;
  origin: 'template' | 'api';
}

/** One entry of PutEvents, as the API takes it. */
export interface EventEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: Date | number | string;
  EventBusName?: string;
  TraceHeader?: string;
}

/** What a template declares: its buses (AWS::Events::EventBus) and rules (AWS::Events::Rule, SAM EventBridgeRule events). */
export interface TemplateEventRules {
  buses: string[];
  rules: RuleDefinition[];
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** Where matched events go: Lambda (asynchronous invocations), the local queues and topics, and a line for what cannot be delivered. */
export interface EventBridgeTargets {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  readonly queues: LocalQueues;
  /** The local SNS topics (none: topic targets are reported as not emulated). */
  readonly topics?: LocalTopics;
  warn(message: string): void;
}

/** The local Kinesis streams, once the event sources run (EventSources): where stream targets put their records. */
export interface StreamTargets {
  findStream(nameOrArn: string): LocalStream | undefined;
  /** Resolves once the records put so far are in the state directory. */
  recordsSaved(): Promise<void>;
}

export interface LocalEventBusesOptions {
  stateDir?: string;
  region?: string;
  accountId?: string;
  /** Multiplies the wait until each firing of a rule's ScheduleExpression (0.01: rate(5 minutes) fires every 3 s). */
  timeScale?: number;
}

/** Invokes a function a rule's target names (`<name>` or `<name>:<qualifier>`) with the target's input. */
export type FunctionTargetInvoker = (functionName: string, input: string) => Promise<void>;

/** A firing of a rule's ScheduleExpression (on time, or Run Now). */
export interface ScheduledRuleFiring {
  rule: RuleDefinition;
  /** The targets the event went to. */
  targets: number;
}

const DOCUMENT = 'eventbridge';
/** An event put on a bus that is a target of a rule goes on at most this many buses (EventBridge refuses loops). */
const MAX_BUS_HOPS = 5;

interface SavedState {
  buses: EventBusDefinition[];
  rules: RuleDefinition[];
}

export class LocalEventBuses {
  private readonly buses = new Map<string, EventBusDefinition>();
  /** Rules by `<bus>/<name>`. */
  private readonly rules = new Map<string, RuleDefinition>();
  private readonly state: StateStore | undefined;
  private loading: Promise<void> | undefined;
  private template: Promise<void> = Promise.resolve();
  /** The timers of the enabled scheduled rules, while startSchedules runs them; the expression each was armed with. */
  private schedules: { timers: ScheduleTimers; armed: Map<string, string> } | undefined;
  private readonly changes = new Emitter<void>();
  /** Fires after buses, rules or targets changed (the API, the template). */
  readonly onDidChange = this.changes.event;
  private readonly fired = new Emitter<ScheduledRuleFiring>();
  /** Fires after a scheduled rule delivered its event. */
  readonly onDidFireSchedule = this.fired.event;
  readonly region: string;
  readonly accountId: string;
  private readonly timeScale: number;
  private streams: StreamTargets | undefined;

  constructor(
    private readonly targets: EventBridgeTargets,
    options: LocalEventBusesOptions = {},
  ) {
    this.state = options.stateDir ? new StateStore(stateRoot(options.stateDir)) : undefined;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.timeScale = options.timeScale ?? 1;
    this.buses.set(DEFAULT_BUS, { name: DEFAULT_BUS, creationTime: Date.now(), origin: 'template' });
  }

  /** The streams Kinesis targets put records on, while the event sources run (undefined: they stopped). */
  useStreams(streams: StreamTargets | undefined): void {
    this.streams = streams;
  }

  /** Restores the saved buses and rules (once), and waits for the template's (useTemplate). */
  async ready(): Promise<void> {
    this.loading ??= this.load();
    await Promise.all([this.loading, this.template]);
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(rule: Pick<RuleDefinition, 'name' | 'eventBusName'>): string {
    const path = rule.eventBusName === DEFAULT_BUS ? rule.name : `${rule.eventBusName}/${rule.name}`;
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${path}`;
  }

  /** A bus by name or ARN (undefined: the default bus). */
  findBus(nameOrArn: string | undefined): EventBusDefinition | undefined {
    return this.buses.get(busName(nameOrArn));
  }

  listBuses(): EventBusDefinition[] {
    return [...this.buses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  createBus(definition: EventBusDefinition): EventBusDefinition {
    this.buses.set(definition.name, definition);
    this.save();
    return definition;
  }

  /** Deletes a bus and its rules (the default bus stays). */
  deleteBus(name: string): void {
    if (name === DEFAULT_BUS || !this.buses.delete(name)) return;
    for (const [key, rule] of this.rules) if (rule.eventBusName === name) this.rules.delete(key);
    this.save();
  }

  findRule(bus: string | undefined, name: string): RuleDefinition | undefined {
    return this.rules.get(`${busName(bus)}/${name}`);
  }

  listRules(bus: string | undefined): RuleDefinition[] {
    const name = busName(bus);
    return [...this.rules.values()].filter((rule) => rule.eventBusName === name).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces a rule (its targets stay when it is replaced). */
  putRule(rule: RuleDefinition): RuleDefinition {
    const existing = this.findRule(rule.eventBusName, rule.name);
    const stored = { ...rule, targets: existing?.targets ?? rule.targets };
    this.rules.set(`${rule.eventBusName}/${rule.name}`, stored);
    this.save();
    return stored;
  }

  deleteRule(bus: string | undefined, name: string): void {
    if (this.rules.delete(`${busName(bus)}/${name}`)) this.save();
  }

  /** Records a change made to a rule in place (state, targets). */
  changed(rule: RuleDefinition): void {
    rule.origin = 'api';
    this.save();
  }

  /**
   * The template's buses and rules (once read), replacing those of an earlier template read; rules and buses made through the
   * API with the same names stay as the API left them. A template that cannot be read leaves its rules out (the caller says why).
   */
  useTemplate(read: Promise<TemplateEventRules>): Promise<void> {
    const applied = read.then(({ buses, rules }) => this.applyTemplate(buses, rules));
    this.template = applied.catch(() => undefined);
    return applied;
  }

  private applyTemplate(buses: readonly string[], rules: readonly RuleDefinition[]): void {
    for (const [name, bus] of this.buses) if (bus.origin === 'template' && name !== DEFAULT_BUS) this.buses.delete(name);
    for (const [key, rule] of this.rules) if (rule.origin === 'template') this.rules.delete(key);
    for (const name of buses) if (!this.buses.has(name)) this.buses.set(name, { name, creationTime: Date.now(), origin: 'template' });
    for (const rule of rules) {
      if (!this.buses.has(rule.eventBusName)) this.buses.set(rule.eventBusName, { name: rule.eventBusName, creationTime: Date.now(), origin: 'template' });
      const key = `${rule.eventBusName}/${rule.name}`;
      if (!this.rules.has(key)) this.rules.set(key, rule);
    }
    this.armSchedules();
    this.changes.fire();
  }

  /** PutEvents: each entry checked as EventBridge checks it, then delivered to the targets of every enabled rule it matches. */
  async putEvents(entries: readonly EventEntry[]): Promise<EntryResult[]> {
    await this.ready();
    const results: EntryResult[] = [];
    for (const entry of entries) {
      const checked = this.eventOf(entry);
      if ('ErrorCode' in checked) {
        results.push(checked);
        continue;
      }
      await this.route(checked.bus, checked.event, 0);
      results.push({ EventId: checked.event.id as string });
    }
    return results;
  }

  /** Puts an event that is already whole (a Lambda destination's) on a bus given by ARN. */
  async putEvent(busNameOrArn: string, event: Record<string, unknown>): Promise<void> {
    await this.ready();
    const bus = this.findBus(busNameOrArn);
    if (!bus) return this.targets.warn(`The event bus ${busNameOrArn} does not exist locally; the event is dropped: ${JSON.stringify(event)}`);
    await this.route(bus, event, 0);
  }

  /** Lines for the user: each rule with a pattern or schedule, its bus and where it sends events. */
  summary(): string[] {
    const rules = [...this.rules.values()];
    if (rules.length === 0) return [];
    const label = (arn: string) => /:function:(.+)$/.exec(arn)?.[1] ?? arn.split(/[:/]/).pop() ?? arn;
    return ['EventBridge rules (PutEvents on the endpoint above):', ...rules.map((rule) =>
      `  ${rule.eventBusName}/${rule.name}${rule.scheduleExpression ? ` ${rule.scheduleExpression}` : ''}${rule.state === 'DISABLED' ? ' (disabled)' : ''} -> ${rule.targets.map((target) => label(target.Arn)).join(', ') || '(no targets)'}`)];
  }

  /**
   * Fires the enabled rules' ScheduleExpressions on time (scaled by timeScale) from now on, as EventBridge does: each firing
   * delivers the "Scheduled Event" to the rule's targets. Rules changed later are armed again; disposing stops the timers.
   */
  startSchedules(): Disposable {
    const running = { timers: new ScheduleTimers(this.timeScale), armed: new Map<string, string>() };
    this.schedules = running;
    // The saved rules arm once restored.
    void this.ready().then(() => this.armSchedules(), (error: unknown) => this.targets.warn(`EventBridge rules could not be restored: ${errorMessage(error)}`));
    return {
      dispose: () => {
        running.timers.dispose();
        if (this.schedules === running) this.schedules = undefined;
      },
    };
  }

  /** The rules with a ScheduleExpression, of every bus. */
  scheduledRules(): RuleDefinition[] {
    return [...this.rules.values()].filter((rule) => rule.scheduleExpression !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Fires a scheduled rule now (Run Now), enabled or not: its targets get the Scheduled Event. `invokeFunction` takes the
   * place of the asynchronous invocation of the functions it reaches (`schedules run` waits for them).
   */
  async runScheduledRule(rule: RuleDefinition, invokeFunction?: FunctionTargetInvoker): Promise<ScheduledRuleFiring> {
    await this.ready();
    return this.fireSchedule(rule, Date.now(), invokeFunction);
  }

  /** Writes what is pending and stops the schedules. */
  async dispose(): Promise<void> {
    this.schedules?.timers.dispose();
    this.schedules = undefined;
    await this.state?.flush();
    this.changes.dispose();
    this.fired.dispose();
  }

  /** Arms the timer of each enabled scheduled rule not armed with its expression yet, and disarms the others. */
  private armSchedules(): void {
    const running = this.schedules;
    if (!running) return;
    const wanted = new Map<string, RuleDefinition>();
    for (const [key, rule] of this.rules) if (rule.scheduleExpression !== undefined && rule.state === 'ENABLED') wanted.set(key, rule);
    for (const key of running.armed.keys()) {
      if (wanted.get(key)?.scheduleExpression === running.armed.get(key)) continue;
      running.timers.delete(key);
      running.armed.delete(key);
    }
    for (const [key, rule] of wanted) {
      if (running.armed.has(key)) continue;
      // Armed even when it cannot fire, so the warning is given once per expression.
      running.armed.set(key, rule.scheduleExpression as string);
      let expression;
      try {
        // A rate schedule counts its periods from the moment it is armed, as a new rule's does.
        expression = parseScheduleExpression(rule.scheduleExpression as string);
      } catch (error) {
        this.targets.warn(`EventBridge rule ${rule.name} does not fire: ${errorMessage(error)}`);
        continue;
      }
      running.timers.set(key, expression, (time) => {
        // The rule as it is at firing time (its targets may have changed since it was armed).
        const current = this.rules.get(key);
        if (current) void this.fireSchedule(current, time);
      });
    }
  }

  private async fireSchedule(rule: RuleDefinition, time: number, invokeFunction?: FunctionTargetInvoker): Promise<ScheduledRuleFiring> {
    const ruleArn = this.ruleArn(rule);
    const event = eventBridgeScheduledEvent(ruleArn, time, this.region, this.accountId);
    const context = { ruleArn, ruleName: rule.name, ingestionTime: new Date().toISOString() };
    for (const target of rule.targets) {
      try {
        await this.deliver(target, targetInput(target, event, context), event, 0, rule, invokeFunction);
      } catch (error) {
        this.targets.warn(`EventBridge rule ${rule.name}: target ${target.Id} (${target.Arn}) failed: ${errorMessage(error)}`);
      }
    }
    const firing = { rule, targets: rule.targets.length };
    this.fired.fire(firing);
    return firing;
  }

  private eventOf(entry: EventEntry): { bus: EventBusDefinition; event: Record<string, unknown> } | { ErrorCode: string; ErrorMessage: string } {
    const invalid = (parameter: string, reason: string) => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` });
    if (!entry.Source) return invalid('Source', 'Source is a required argument.');
    if (!entry.DetailType) return invalid('DetailType', 'DetailType is a required argument.');
    if (entry.Detail === undefined) return invalid('Detail', 'Detail is a required argument.');
    if (entry.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const bus = this.findBus(entry.EventBusName);
    if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName(entry.EventBusName)} does not exist.` };
    const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    if (Number.isNaN(time.getTime())) return invalid('Time', 'Time is not a valid timestamp.');
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: entry.Resources ?? [],
      detail,
    };
    return { bus, event };
  }

  /** Delivers the event to the targets of the bus's enabled rules whose pattern matches it. */
  private async route(bus: EventBusDefinition, event: Record<string, unknown>, hops: number, invokeFunction?: FunctionTargetInvoker): Promise<void> {
    for (const rule of this.listRules(bus.name)) {
      if (rule.state !== 'ENABLED' || rule.eventPattern === undefined) continue;
      if (!matchesEventPattern(patternOf(rule), event)) continue;
      const context = { ruleArn: this.ruleArn(rule), ruleName: rule.name, ingestionTime: new Date().toISOString() };
      for (const target of rule.targets) {
        try {
          await this.deliver(target, targetInput(target, event, context), event, hops, rule, invokeFunction);
        } catch (error) {
          this.targets.warn(`EventBridge rule ${rule.name}: target ${target.Id} (${target.Arn}) failed: ${errorMessage(error)}`);
        }
      }
    }
  }

  private async deliver(
    target: RuleTarget,
    input: string,
    event: Record<string, unknown>,
    hops: number,
    rule: RuleDefinition,
    invokeFunction?: FunctionTargetInvoker,
  ): Promise<void> {
    const [, , service] = target.Arn.split(':');
    if (service === 'lambda') {
      const functionName = /:function:(.+)$/.exec(target.Arn)?.[1] ?? target.Arn;
      if (invokeFunction) return invokeFunction(functionName, input);
      await this.targets.invoke({ functionName, payload: Buffer.from(input), invocationType: 'Event' });
      return;
    }
    if (service === 'sqs') {
      await this.targets.queues.ready();
      const queue = this.targets.queues.find(target.Arn);
      if (!queue) return this.targets.warn(`EventBridge rule ${rule.name}: target queue ${target.Arn} does not exist locally; the event is dropped.`);
      const fifo = queue.definition.fifo ? { messageGroupId: target.SqsParameters?.MessageGroupId ?? rule.name, messageDeduplicationId: event.id as string } : {};
      queue.send({ body: input, ...fifo });
      return;
    }
    if (service === 'sns' && this.targets.topics) {
      const topics = this.targets.topics;
      await topics.ready();
      const topic = topics.find(target.Arn);
      if (!topic) return this.targets.warn(`EventBridge rule ${rule.name}: target topic ${target.Arn} does not exist locally; the event is dropped.`);
      const fifo = topic.attributes.FifoTopic === 'true' ? { messageGroupId: target.SqsParameters?.MessageGroupId ?? rule.name, messageDeduplicationId: event.id as string } : {};
      await topics.publish(topic, { message: input, ...fifo });
      return;
    }
    if (service === 'kinesis') {
      const streams = this.streams;
      const stream = streams?.findStream(target.Arn);
      if (!streams || stream?.definition.kind !== 'kinesis') return this.targets.warn(`EventBridge rule ${rule.name}: target stream ${target.Arn} does not exist locally; the event is dropped.`);
      const path = target.KinesisParameters?.PartitionKeyPath;
      const key = path === undefined ? event.id : jsonPath(event, path);
      if (typeof key !== 'string' && typeof key !== 'number') {
        return this.targets.warn(`EventBridge rule ${rule.name}: target ${target.Id}'s PartitionKeyPath ${path ?? ''} names no string or number in the event; the event is dropped.`);
      }
      stream.putRecord(Buffer.from(input), String(key));
      await streams.recordsSaved();
      return;
    }
    if (service === 'events' && target.Arn.includes(':event-bus/')) {
      const bus = this.findBus(target.Arn);
      if (!bus) return this.targets.warn(`EventBridge rule ${rule.name}: target bus ${target.Arn} does not exist locally; the event is dropped.`);
      if (hops + 1 >= MAX_BUS_HOPS) return this.targets.warn(`EventBridge rule ${rule.name}: the event went through ${MAX_BUS_HOPS} buses; it is dropped.`);
      return this.route(bus, event, hops + 1, invokeFunction);
    }
    this.targets.warn(`EventBridge rule ${rule.name}: target ${target.Arn} is not emulated locally (Lambda functions, SQS queues, SNS topics, Kinesis streams and event buses are); the event is dropped.`);
  }

  private async load(): Promise<void> {
    const saved = await this.state?.read<SavedState>(DOCUMENT);
    for (const bus of saved?.buses ?? []) if (!this.buses.has(bus.name) || this.buses.get(bus.name)?.origin === 'template') this.buses.set(bus.name, bus);
    for (const rule of saved?.rules ?? []) this.rules.set(`${rule.eventBusName}/${rule.name}`, rule);
    this.armSchedules();
    this.changes.fire();
  }

  private save(): void {
    this.armSchedules();
    this.changes.fire();
    const buses = [...this.buses.values()].filter((bus) => bus.origin === 'api');
    const rules = [...this.rules.values()].filter((rule) => rule.origin === 'api');
    void this.state?.write(DOCUMENT, { buses, rules } satisfies SavedState).catch((error: unknown) => this.targets.warn(`EventBridge rules could not be saved: ${errorMessage(error)}`));
  }
}

/** The bus name of a name or ARN; the default bus for none. */
export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  const at = nameOrArn.indexOf(':event-bus/');
  return at < 0 ? nameOrArn : nameOrArn.slice(at + ':event-bus/'.length);
}

const parsedPatterns = new WeakMap<RuleDefinition, EventPattern>();

function patternOf(rule: RuleDefinition): EventPattern {
  let pattern = parsedPatterns.get(rule);
  if (!pattern) {
    pattern = parseEventPattern(rule.eventPattern as string);
    parsedPatterns.set(rule, pattern);
  }
  return pattern;
}
