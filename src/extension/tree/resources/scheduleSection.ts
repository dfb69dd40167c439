// The Resources section's schedules: the templates' Schedule / ScheduleV2 events and the EventBridge rules with a
// ScheduleExpression (the templates' and PutRule's) of the running service, or the templates' schedules before it runs.
import * as vscode from 'vscode';
import type { RuleDefinition } from '../../../core/service/eventBridge/localEventBuses';
import type { ScheduleDefinition } from '../../../core/service/schedules/localSchedules';
import { sectionNodeGuard, type LocalResourceNode, type ResourceContext, type ResourceSection } from './resourceSection';

export const SCHEDULE_SECTION = 'schedule';

export interface ScheduleNode extends LocalResourceNode {
  section: typeof SCHEDULE_SECTION;
  /** A template schedule's `<function>.<event id>`, or a scheduled rule's name. */
  schedule: string;
  /** What fires: a function's Schedule / ScheduleV2 event, or an EventBridge rule's targets. */
  source: 'event' | 'rule';
}

export const isScheduleNode = sectionNodeGuard<ScheduleNode>(SCHEDULE_SECTION);

export const scheduleSection: ResourceSection = {
  id: SCHEDULE_SECTION,
  noun: 'schedule',
  async nodes({ host, catalog }: ResourceContext): Promise<LocalResourceNode[]> {
    const service = host.running;
    if (service && host.schedules) {
      await service.eventBuses.ready();
      const rules = service.eventBuses.scheduledRules();
      return [
        ...host.schedules.schedules.map((schedule) => eventNode(schedule, true)),
        ...rules.map((rule): ScheduleNode => ({
          kind: 'localResource', section: SCHEDULE_SECTION, schedule: rule.name, source: 'rule', treeItem: () => ruleItem(rule, service.eventBuses.ruleArn(rule)),
        })),
      ];
    }
    const { readSchedules } = await import('../../../core/service/schedules/localSchedules.js');
    let schedules: ScheduleDefinition[];
    try {
      schedules = readSchedules(catalog.functions());
    } catch {
      // The template's error is said where the service starts.
      schedules = [];
    }
    return schedules.map((schedule) => eventNode(schedule, false));
  },
};

function eventNode(schedule: ScheduleDefinition, running: boolean): ScheduleNode {
  return { kind: 'localResource', section: SCHEDULE_SECTION, schedule: schedule.name, source: 'event', treeItem: () => scheduleItem(schedule, running) };
}

function scheduleItem(schedule: ScheduleDefinition, running: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(schedule.name);
  item.id = `schedule:${schedule.name}`;
  const when = `${schedule.expression.text}${schedule.timezone ? ` ${schedule.timezone}` : ''}`;
  item.description = [when, ...(schedule.enabled ? [] : ['disabled']), ...(running || !schedule.enabled ? [] : ['fires once the service runs'])].join(' · ');
  item.tooltip = new vscode.MarkdownString([
    `**${schedule.name}** (${schedule.kind})`,
    '',
    `- ${when} → ${schedule.functionName}${schedule.input !== undefined ? ` with Input \`${schedule.input}\`` : ''}`,
    `- ARN: \`${schedule.arn}\``,
    `- ${schedule.enabled ? 'Fires on time while the workspace\'s service runs (scaled by lambdaWorkbench.timeScale)' : 'Disabled: fires only with Run Now'}`,
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon('calendar');
  item.contextValue = 'schedule';
  return item;
}

function ruleItem(rule: RuleDefinition, arn: string): vscode.TreeItem {
  const item = new vscode.TreeItem(rule.name);
  item.id = `schedule:rule:${rule.eventBusName}/${rule.name}`;
  item.description = [rule.scheduleExpression ?? '', 'EventBridge rule', ...(rule.state === 'DISABLED' ? ['disabled'] : [])].join(' · ');
  item.tooltip = new vscode.MarkdownString([
    `**${rule.name}** (EventBridge rule)`,
    '',
    `- ${rule.scheduleExpression ?? ''} → ${rule.targets.map((target) => target.Arn).join(', ') || '(no targets)'}`,
    `- ARN: \`${arn}\``,
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon('calendar');
  item.contextValue = 'schedule';
  return item;
}
