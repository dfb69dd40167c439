// The template's Schedule and ScheduleV2 events, fired locally on time (scaled by timeScale) or on demand, as EventBridge invokes the function.
import { randomUUID } from 'node:crypto';
import { WorkbenchError } from '../../common/errors';
import type { Disposable } from '../../common/disposable';
import type { FunctionSpec } from '../../template/functionSpec';
import type { InvokeRequest, InvokeResult } from '../invocation';
import { parseScheduleExpression, type ScheduleExpression } from './scheduleExpression';
import { ScheduleTimers } from './scheduleTimers';

export interface ScheduleDefinition {
  /** `<function>.<event id>`: what `schedules run` and the view name. */
  name: string;
  functionName: string;
  kind: 'Schedule' | 'ScheduleV2';
  expression: ScheduleExpression;
  timezone?: string;
  /** The event the function gets instead of the scheduled event (Input). */
  input?: string;
  enabled: boolean;
  /** The rule's (Schedule) or schedule's (ScheduleV2) ARN. */
  arn: string;
}

export interface ScheduleOptions {
  region?: string;
  accountId?: string;
  /** Multiplies the wait until each firing (0.01: a 5-minute rate fires every 3 s). */
  timeScale?: number;
  /** Told about every firing (the CLI prints it). */
  onFire?: (schedule: ScheduleDefinition, result: { requestId?: string; error?: string }) => void;
}

export interface ScheduleService {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

/** Reads the Schedule / ScheduleV2 events of the functions; TEMPLATE_INVALID for an expression EventBridge refuses. */
export function readSchedules(specs: readonly FunctionSpec[], options: { region?: string; accountId?: string } = {}, startedAt = Date.now()): ScheduleDefinition[] {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const schedules: ScheduleDefinition[] = [];
  for (const spec of specs) {
    for (const event of spec.events) {
      if (event.type !== 'Schedule' && event.type !== 'ScheduleV2') continue;
      const p = event.properties;
      const v2 = event.type === 'ScheduleV2';
      const text = v2 ? p.ScheduleExpression : p.Schedule;
      if (typeof text !== 'string') {
        throw new WorkbenchError('TEMPLATE_INVALID', `${spec.logicalId}.Events.${event.id}: ${v2 ? 'ScheduleExpression' : 'Schedule'} must be an expression such as rate(5 minutes).`);
      }
      const timezone = v2 && typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : undefined;
      const ruleName = typeof p.Name === 'string' ? p.Name : `${spec.logicalId}${event.id}`;
      const state = p.State ?? (p.Enabled === false || p.Enabled === 'false' ? 'DISABLED' : 'ENABLED');
      schedules.push({
        name: `${spec.functionName}.${event.id}`,
        functionName: spec.functionName,
        kind: event.type,
        expression: parseScheduleExpression(text, timezone, startedAt),
        ...(timezone ? { timezone } : {}),
        ...(p.Input !== undefined ? { input: typeof p.Input === 'string' ? p.Input : JSON.stringify(p.Input) } : {}),
        enabled: state !== 'DISABLED',
        arn: v2 ? `arn:aws:scheduler:${region}:${accountId}:schedule/default/${ruleName}` : `arn:aws:events:${region}:${accountId}:rule/${ruleName}`,
      });
    }
  }
  return schedules;
}

/** A schedule by `<function>.<event id>`, event id or Name; EVENT_SOURCE_NOT_FOUND lists the schedules there are. */
export function findSchedule(schedules: readonly ScheduleDefinition[], name: string): ScheduleDefinition {
  const schedule = schedules.find((candidate) => candidate.name === name || candidate.name.split('.')[1] === name || candidate.arn.endsWith(`/${name}`));
  if (schedule) return schedule;
  throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `No schedule named '${name}'. Schedules: ${schedules.map((s) => s.name).join(', ') || '(none)'}.`);
}

/** The event a firing delivers: Input when set, else EventBridge's scheduled event (Scheduler without Input: {}). */
export function scheduledEvent(schedule: ScheduleDefinition, time: number, region: string, accountId: string): string {
  if (schedule.input !== undefined) return schedule.input;
  if (schedule.kind === 'ScheduleV2') return '{}';
  return JSON.stringify(eventBridgeScheduledEvent(schedule.arn, time, region, accountId));
}

/** The "Scheduled Event" EventBridge puts on the default bus when a rule's ScheduleExpression fires (`resources`: the rule's ARN). */
export function eventBridgeScheduledEvent(ruleArn: string, time: number, region: string, accountId: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region,
    resources: [ruleArn],
    detail: {},
  };
}

/** Timers for the enabled schedules, each firing as an asynchronous invocation (EventBridge invokes with InvocationType Event). */
export class LocalSchedules implements Disposable {
  private readonly timers: ScheduleTimers;
  private disposed = false;
  private readonly region: string;
  private readonly accountId: string;

  constructor(
    readonly schedules: readonly ScheduleDefinition[],
    private readonly service: ScheduleService,
    private readonly options: ScheduleOptions = {},
  ) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.timers = new ScheduleTimers(options.timeScale ?? 1);
  }

  /** Starts the timers of the enabled schedules. */
  start(): void {
    for (const schedule of this.schedules) {
      if (schedule.enabled) this.timers.set(schedule.name, schedule.expression, (time) => void this.fire(schedule, time));
    }
  }

  /** Fires a schedule now (Run Now, `schedules run`), whether or not it is enabled; resolves with the request id. */
  async run(name: string): Promise<string> {
    const schedule = this.find(name);
    const payload = Buffer.from(scheduledEvent(schedule, Date.now(), this.region, this.accountId));
    return (await this.service.invoke({ functionName: schedule.functionName, payload, invocationType: 'Event' })).requestId;
  }

  find(name: string): ScheduleDefinition {
    return findSchedule(this.schedules, name);
  }

  dispose(): void {
    this.disposed = true;
    this.timers.dispose();
  }

  private async fire(schedule: ScheduleDefinition, time: number): Promise<{ requestId?: string; error?: string }> {
    const payload = Buffer.from(scheduledEvent(schedule, time, this.region, this.accountId));
    let result: { requestId?: string; error?: string };
    try {
      const answer = await this.service.invoke({ functionName: schedule.functionName, payload, invocationType: 'Event' });
      result = { requestId: answer.requestId };
    } catch (error) {
      result = { error: (error as Error).message };
    }
    if (!this.disposed) this.options.onFire?.(schedule, result);
    return result;
  }
}
