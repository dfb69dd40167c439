// The Resources section's SQS queues: the running service's (the templates' and the SQS API's) with their message counts,
// or the templates' queues by name before the service runs.
import * as vscode from 'vscode';
import type { LocalQueue } from '../../../core/service/eventSources/localQueue';
import type { LocalQueues } from '../../../core/service/eventSources/localQueues';
import { plural, type LocalResourceNode, type ResourceContext, type ResourceSection, sectionNodeGuard } from './resourceSection';

export const QUEUE_SECTION = 'queue';

export interface QueueNode extends LocalResourceNode {
  section: typeof QUEUE_SECTION;
  /** The queue's name. */
  queue: string;
}

export const isQueueNode = sectionNodeGuard<QueueNode>(QUEUE_SECTION);

export const queueSection: ResourceSection = {
  id: QUEUE_SECTION,
  noun: 'queue',
  async nodes({ host, catalog }: ResourceContext): Promise<LocalResourceNode[]> {
    const service = host.running;
    if (service) {
      await service.queues.ready();
      const queues = service.queues;
      return queues.list().map((queue): QueueNode => ({
        kind: 'localResource', section: QUEUE_SECTION, queue: queue.name, treeItem: () => queueItem(queue, queues, host.endpointUrl),
      }));
    }
    const { readTemplateEventResources } = await import('../../../core/service/eventSources/templateResources.js');
    const templates = [...new Set(catalog.functions().flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
    const { queues } = await readTemplateEventResources(templates, catalog.parameters.merged(), []);
    return queues.map((definition): QueueNode => ({
      kind: 'localResource', section: QUEUE_SECTION, queue: definition.name, treeItem: () => idleQueueItem(definition.name, definition.arn),
    }));
  },
};

function queueItem(queue: LocalQueue, queues: LocalQueues, endpointUrl: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(queue.name);
  item.id = `queue:${queue.name}`;
  const counts = queue.counts();
  item.description = [`${counts.visible} visible`, `${counts.inFlight} in flight`, ...(counts.delayed ? [`${counts.delayed} delayed`] : [])].join(' · ');
  const sources = queues.deadLetterSources(queue);
  const deadLetter = queue.definition.redrivePolicy;
  item.tooltip = new vscode.MarkdownString([
    `**${queue.name}**${queue.definition.fifo ? ' (FIFO)' : ''}`,
    '',
    `- ${plural(counts.visible, 'message')} visible, ${counts.inFlight} in flight, ${counts.delayed} delayed`,
    `- ARN: \`${queue.arn}\``,
    ...(endpointUrl ? [`- URL: \`${endpointUrl}/${queues.accountId}/${queue.name}\``] : []),
    ...(deadLetter ? [`- Dead-letter queue: ${deadLetter.deadLetterTargetArn.split(':').pop() ?? ''} after ${plural(deadLetter.maxReceiveCount, 'receive')}`] : []),
    ...(sources.length ? [`- Dead-letter queue of ${sources.map((source) => source.name).join(', ')}: Redrive moves its messages back`] : []),
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon(sources.length ? 'inbox' : 'mail');
  item.contextValue = sources.length ? 'queue.deadLetter' : 'queue';
  return item;
}

function idleQueueItem(name: string, arn: string): vscode.TreeItem {
  const item = new vscode.TreeItem(name);
  item.id = `queue:${name}`;
  item.description = 'counts show once the service runs';
  item.tooltip = `${arn}: the local queue is made when the workspace's service starts (the first invocation, or Send Message).`;
  item.iconPath = new vscode.ThemeIcon('mail');
  item.contextValue = 'queue';
  return item;
}
