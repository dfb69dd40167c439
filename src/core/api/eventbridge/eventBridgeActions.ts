// Every EventBridge action the endpoint serves, by the operation name of AWS's model, over the workspace's LocalEventBuses.
import { EventPatternError, matchesEventPattern, parseEventPattern } from '../../service/eventBridge/eventPattern';
import { DEFAULT_BUS, busName, type EventEntry, type LocalEventBuses, type RuleDefinition, type RuleTarget } from '../../service/eventBridge/localEventBuses';
import { parseScheduleExpression } from '../../service/schedules/scheduleExpression';
import { ProtocolError, type ProtocolAction } from '../protocolService';

type Input = Record<string, unknown>;

/** PutEvents' limit on the entries of one request (Time counts 14 bytes; Source, DetailType, Detail, Resources their UTF-8 bytes). */
export const PUT_EVENTS_LIMIT = 256 * 1024;
const MAX_TARGETS_PER_RULE = 5;
const DEFAULT_PAGE = 100;

export function eventBridgeActions(buses: LocalEventBuses): Record<string, ProtocolAction> {
  const busOf = (input: Input, member = 'EventBusName') => {
    const name = busName(optionalString(input[member]));
    if (!buses.findBus(name)) throw new ProtocolError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return name;
  };
  const ruleOf = (input: Input, member = 'Name'): RuleDefinition => {
    const bus = busOf(input);
    const name = String(input[member]);
    const rule = buses.findRule(bus, name);
    if (!rule) throw new ProtocolError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  };
  const ruleShape = (rule: RuleDefinition) => ({
    Name: rule.name,
    Arn: buses.ruleArn(rule),
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.eventBusName,
  });
  const setState = (state: RuleDefinition['state']): ProtocolAction => (call) => {
    const rule = ruleOf(call.input);
    rule.state = state;
    buses.changed(rule);
    return undefined;
  };

  return {
    PutEvents: async (call) => {
      const entries = call.input.Entries as EventEntry[];
      if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > PUT_EVENTS_LIMIT) {
        throw new ProtocolError('ValidationException', 'Total size of the entries in the request is over the limit.');
      }
      const results = await buses.putEvents(entries);
      return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
    },

    PutRule: (call) => {
      const input = call.input;
      const bus = busOf(input);
      const pattern = optionalString(input.EventPattern);
      const schedule = optionalString(input.ScheduleExpression);
      if (pattern === undefined && schedule === undefined) throw new ProtocolError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (schedule !== undefined && bus !== DEFAULT_BUS) throw new ProtocolError('ValidationException', 'ScheduleExpression is supported only on the default event bus.');
      if (pattern !== undefined) checkPattern(pattern);
      if (schedule !== undefined) checkScheduleExpression(schedule);
      const state = input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
      const description = optionalString(input.Description);
      const roleArn = optionalString(input.RoleArn);
      const rule = buses.putRule({
        name: String(input.Name),
        eventBusName: bus,
        ...(pattern !== undefined ? { eventPattern: pattern } : {}),
        ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
        state,
        ...(description !== undefined ? { description } : {}),
        ...(roleArn !== undefined ? { roleArn } : {}),
        targets: [],
        origin: 'api',
      });
      return { RuleArn: buses.ruleArn(rule) };
    },

    DescribeRule: (call) => ({ ...ruleShape(ruleOf(call.input)), CreatedBy: buses.accountId }),

    ListRules: (call) => {
      const prefix = optionalString(call.input.NamePrefix) ?? '';
      const rules = buses.listRules(busOf(call.input)).filter((rule) => rule.name.startsWith(prefix));
      return page(rules.map(ruleShape), call.input, 'Rules');
    },

    DeleteRule: (call) => {
      const bus = busOf(call.input);
      const rule = buses.findRule(bus, String(call.input.Name));
      if (!rule) return undefined;
      if (rule.targets.length > 0) throw new ProtocolError('ValidationException', "Rule can't be deleted since it has targets.");
      buses.deleteRule(bus, rule.name);
      return undefined;
    },

    EnableRule: setState('ENABLED'),
    DisableRule: setState('DISABLED'),

    PutTargets: (call) => {
      const rule = ruleOf(call.input, 'Rule');
      const targets = call.input.Targets as RuleTarget[];
      for (const target of targets) {
        const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((value) => value !== undefined).length;
        if (inputs > 1) throw new ProtocolError('ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided.');
        if (target.Input !== undefined && !isJson(target.Input)) throw new ProtocolError('ValidationException', `Input for target ${target.Id} is not valid JSON text.`);
      }
      const merged = new Map(rule.targets.map((target) => [target.Id, target]));
      for (const target of targets) merged.set(target.Id, target);
      if (merged.size > MAX_TARGETS_PER_RULE) throw new ProtocolError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
      rule.targets = [...merged.values()];
      buses.changed(rule);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule: (call) => page(ruleOf(call.input, 'Rule').targets, call.input, 'Targets'),

    RemoveTargets: (call) => {
      const rule = ruleOf(call.input, 'Rule');
      const ids = call.input.Ids as string[];
      const failed = ids.filter((id) => !rule.targets.some((target) => target.Id === id))
        .map((id) => ({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${id} does not exist on rule ${rule.name}.` }));
      rule.targets = rule.targets.filter((target) => !ids.includes(target.Id));
      buses.changed(rule);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },

    ListRuleNamesByTarget: (call) => {
      const arn = String(call.input.TargetArn);
      const names = buses.listRules(busOf(call.input)).filter((rule) => rule.targets.some((target) => target.Arn === arn)).map((rule) => rule.name);
      return page(names, call.input, 'RuleNames');
    },

    TestEventPattern: (call) => {
      const pattern = checkPattern(String(call.input.EventPattern));
      let event: unknown;
      try {
        event = JSON.parse(String(call.input.Event));
      } catch {
        event = undefined;
      }
      const fields = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
      const missing = typeof event === 'object' && event !== null ? fields.find((field) => !(field in event)) : 'id';
      if (missing) throw new ProtocolError('ValidationException', `Parameter Event is not valid. Reason: Provided Event is missing required field ${missing}.`);
      return { Result: matchesEventPattern(pattern, event) };
    },

    CreateEventBus: (call) => {
      const name = String(call.input.Name);
      if (name === DEFAULT_BUS) throw new ProtocolError('ValidationException', 'Event bus name cannot be default.');
      if (name.includes('/')) throw new ProtocolError('ValidationException', 'Event bus name must not contain \'/\'.');
      if (buses.findBus(name)) throw new ProtocolError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
      const description = optionalString(call.input.Description);
      buses.createBus({ name, creationTime: Date.now(), origin: 'api', ...(description !== undefined ? { description } : {}) });
      return { EventBusArn: buses.busArn(name), ...(description !== undefined ? { Description: description } : {}) };
    },

    DescribeEventBus: (call) => {
      const name = busOf(call.input, 'Name');
      const bus = buses.findBus(name);
      return { Name: name, Arn: buses.busArn(name), ...(bus?.description !== undefined ? { Description: bus.description } : {}), CreationTime: Math.floor((bus?.creationTime ?? 0) / 1000) };
    },

    ListEventBuses: (call) => {
      const prefix = optionalString(call.input.NamePrefix) ?? '';
      const shapes = buses.listBuses().filter((bus) => bus.name.startsWith(prefix)).map((bus) => ({
        Name: bus.name,
        Arn: buses.busArn(bus.name),
        ...(bus.description !== undefined ? { Description: bus.description } : {}),
        CreationTime: Math.floor(bus.creationTime / 1000),
      }));
      return page(shapes, call.input, 'EventBuses');
    },

    DeleteEventBus: (call) => {
      const name = String(call.input.Name);
      if (name === DEFAULT_BUS) throw new ProtocolError('ValidationException', 'Cannot delete event bus default.');
      buses.deleteBus(name);
      return undefined;
    },
  };
}

/** The entry size EventBridge counts against PUT_EVENTS_LIMIT. */
export function entrySize(entry: EventEntry): number {
  const bytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text) : 0);
  return (entry.Time !== undefined ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0);
}

function checkPattern(text: string) {
  try {
    return parseEventPattern(text);
  } catch (error) {
    if (error instanceof EventPatternError) throw new ProtocolError('InvalidEventPatternException', error.message);
    throw error;
  }
}

/** EventBridge rules take rate(...) and cron(...) expressions (at(...) is EventBridge Scheduler's). */
function checkScheduleExpression(text: string): void {
  try {
    if (!/^\s*(rate|cron)\(/.test(text)) throw new Error('not a rate or cron expression');
    parseScheduleExpression(text);
  } catch {
    throw new ProtocolError('ValidationException', 'Parameter ScheduleExpression is not valid.');
  }
}

/** One page of a list: Limit items from the NextToken's offset. */
function page<T>(items: T[], input: Input, member: string): Record<string, unknown> {
  const limit = typeof input.Limit === 'number' ? input.Limit : DEFAULT_PAGE;
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const next = start + slice.length < items.length ? Buffer.from(String(start + slice.length)).toString('base64') : undefined;
  return { [member]: slice, ...(next ? { NextToken: next } : {}) };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
