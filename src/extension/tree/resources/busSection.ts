// The Resources section's EventBridge buses: the running service's (the templates' and the EventBridge API's) with their
// rules, or the templates' buses by name before the service runs. The default bus is shown once a rule is on it.
import * as vscode from 'vscode';
import { DEFAULT_BUS, type EventBusDefinition, type LocalEventBuses } from '../../../core/service/eventBridge/localEventBuses';
import { plural, type LocalResourceNode, type ResourceContext, type ResourceSection, sectionNodeGuard } from './resourceSection';

export const BUS_SECTION = 'bus';

export interface BusNode extends LocalResourceNode {
  section: typeof BUS_SECTION;
  /** The bus's name. */
  bus: string;
}

export const isBusNode = sectionNodeGuard<BusNode>(BUS_SECTION);

export const busSection: ResourceSection = {
  id: BUS_SECTION,
  noun: 'bus',
  async nodes({ host, catalog }: ResourceContext): Promise<LocalResourceNode[]> {
    const service = host.running;
    if (service) {
      const buses = service.eventBuses;
      await buses.ready();
      return buses.listBuses().filter((bus) => bus.name !== DEFAULT_BUS || buses.listRules(bus.name).length > 0)
        .map((bus): BusNode => ({ kind: 'localResource', section: BUS_SECTION, bus: bus.name, treeItem: () => busItem(bus, buses) }));
    }
    const { readTemplateEventRules } = await import('../../../core/service/eventBridge/templateRules.js');
    const read = await readTemplateEventRules(catalog.functions(), [], { parameterOverrides: catalog.parameters.merged() }).catch(() => ({ buses: [], rules: [] }));
    const names = [...new Set([...read.buses, ...read.rules.map((rule) => rule.eventBusName)])].sort();
    return names.map((name): BusNode => ({ kind: 'localResource', section: BUS_SECTION, bus: name, treeItem: () => idleBusItem(name) }));
  },
};

function busItem(bus: EventBusDefinition, buses: LocalEventBuses): vscode.TreeItem {
  const item = new vscode.TreeItem(bus.name);
  item.id = `bus:${bus.name}`;
  const rules = buses.listRules(bus.name);
  item.description = plural(rules.length, 'rule');
  const target = (arn: string) => /:function:(.+)$/.exec(arn)?.[1] ?? arn.split(/[:/]/).pop() ?? arn;
  item.tooltip = new vscode.MarkdownString([
    `**${bus.name}**`,
    '',
    `- ARN: \`${buses.busArn(bus.name)}\``,
    ...rules.map((rule) => `- ${rule.name}${rule.state === 'DISABLED' ? ' (disabled)' : ''}: ${rule.eventPattern ? `\`${rule.eventPattern}\`` : rule.scheduleExpression ?? ''} → ${rule.targets.map((t) => target(t.Arn)).join(', ') || '(no targets)'}`),
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon('zap');
  item.contextValue = 'bus';
  return item;
}

function idleBusItem(name: string): vscode.TreeItem {
  const item = new vscode.TreeItem(name);
  item.id = `bus:${name}`;
  item.description = 'rules show once the service runs';
  item.tooltip = `${name}: the local event bus is made when the workspace's service starts (the first invocation, or Put Event).`;
  item.iconPath = new vscode.ThemeIcon('zap');
  item.contextValue = 'bus';
  return item;
}
