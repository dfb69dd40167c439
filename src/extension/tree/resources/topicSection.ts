// The Resources section's SNS topics: the running service's (the templates' and the SNS API's) with their subscriptions,
// or the templates' topics by name before the service runs.
import * as vscode from 'vscode';
import type { LocalTopics } from '../../../core/service/topics/localTopics';
import type { TopicRecord } from '../../../core/service/topics/topicRecords';
import { plural, type LocalResourceNode, type ResourceContext, type ResourceSection, sectionNodeGuard } from './resourceSection';

export const TOPIC_SECTION = 'topic';

export interface TopicNode extends LocalResourceNode {
  section: typeof TOPIC_SECTION;
  /** The topic's name. */
  topic: string;
}

export const isTopicNode = sectionNodeGuard<TopicNode>(TOPIC_SECTION);

export const topicSection: ResourceSection = {
  id: TOPIC_SECTION,
  noun: 'topic',
  async nodes({ host, catalog }: ResourceContext): Promise<LocalResourceNode[]> {
    const service = host.running;
    if (service) {
      await service.topics.ready();
      const topics = service.topics;
      return topics.list().map((topic): TopicNode => ({ kind: 'localResource', section: TOPIC_SECTION, topic: topic.name, treeItem: () => topicItem(topic, topics) }));
    }
    const { readTemplateTopics } = await import('../../../core/service/topics/templateTopics.js');
    const functions = catalog.functions();
    const templates = [...new Set(functions.flatMap((spec) => (spec.templatePath ? [spec.templatePath] : [])))];
    const { topics } = await readTemplateTopics(templates, functions, catalog.parameters.merged(), []);
    return topics.map(({ name }): TopicNode => ({ kind: 'localResource', section: TOPIC_SECTION, topic: name, treeItem: () => idleTopicItem(name) }));
  },
};

function topicItem(topic: TopicRecord, topics: LocalTopics): vscode.TreeItem {
  const item = new vscode.TreeItem(topic.name);
  item.id = `topic:${topic.name}`;
  const subscriptions = topics.subscriptions(topic.arn);
  item.description = plural(subscriptions.length, 'subscription');
  item.tooltip = new vscode.MarkdownString([
    `**${topic.name}**${topic.attributes.FifoTopic === 'true' ? ' (FIFO)' : ''}`,
    '',
    `- ARN: \`${topic.arn}\``,
    ...subscriptions.map((s) => `- ${s.protocol} \`${s.endpoint}\`${s.confirmed ? '' : ' (pending confirmation)'}`),
  ].join('\n'));
  item.iconPath = new vscode.ThemeIcon('broadcast');
  item.contextValue = 'topic';
  return item;
}

function idleTopicItem(name: string): vscode.TreeItem {
  const item = new vscode.TreeItem(name);
  item.id = `topic:${name}`;
  item.description = 'subscriptions show once the service runs';
  item.tooltip = `${name}: the local topic is made when the workspace's service starts (the first invocation, or Publish).`;
  item.iconPath = new vscode.ThemeIcon('broadcast');
  item.contextValue = 'topic';
  return item;
}
