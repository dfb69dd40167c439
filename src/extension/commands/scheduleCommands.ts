// The schedules of the Resources section: Run Schedule Now (a template's Schedule / ScheduleV2 event, or a scheduled EventBridge rule).
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { isScheduleNode, type ScheduleNode } from '../tree/resources/scheduleSection';
import { requireTrust, type CommandContext } from './commandContext';

/** A schedule as callers name it: its tree node, or `{ schedule }` (`<function>.<event id>`, the event id, or a rule's name). */
export type ScheduleArgument = ScheduleNode | { schedule: string } | undefined;

/** What Run Now did: the function's asynchronous invocation, or the rule's delivery to its targets. */
export type ScheduleRun = { requestId: string } | { rule: string; targets: number };

/** Fires the schedule at once, enabled or not, with the event EventBridge sends (the workspace's service starts if it was not running). */
export async function runSchedule(ctx: CommandContext, arg?: ScheduleArgument): Promise<ScheduleRun | undefined> {
  if (!requireTrust('Running a schedule')) return undefined;
  const service = await ctx.host.get();
  const schedules = ctx.host.schedules;
  await service.eventBuses.ready();
  const rules = service.eventBuses.scheduledRules();
  const names = [...(schedules?.schedules.map((schedule) => schedule.name) ?? []), ...rules.map((rule) => rule.name)];
  const name = arg ? arg.schedule : await vscode.window.showQuickPick(names, { title: 'Run Schedule Now', placeHolder: 'Schedule' });
  if (name === undefined) return undefined;
  const ruleNode = isScheduleNode(arg) && arg.source === 'rule';
  const fromTemplate = ruleNode ? undefined : schedules?.schedules.find((schedule) => schedule.name === name || schedule.name.split('.')[1] === name);
  if (fromTemplate && schedules) {
    const requestId = await schedules.run(fromTemplate.name);
    ctx.logs.note(`Ran schedule ${fromTemplate.name} now -> ${fromTemplate.functionName} (RequestId ${requestId}).`);
    return { requestId };
  }
  const rule = rules.find((candidate) => candidate.name === name);
  if (!rule) throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `There is no local schedule named ${name}.`, { hint: `Schedules: ${names.join(', ') || '(none)'}.` });
  const firing = await service.eventBuses.runScheduledRule(rule);
  ctx.logs.note(`Ran EventBridge rule ${rule.name} now -> ${firing.targets} target(s).`);
  return { rule: rule.name, targets: firing.targets };
}
