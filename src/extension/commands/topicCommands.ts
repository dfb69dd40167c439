// The local SNS topics of the Resources section: Publish... (delivered to the topic's subscriptions, functions included).
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import { isTopicNode, type TopicNode } from '../tree/resources/topicSection';
import { requireTrust, type CommandContext } from './commandContext';

/** A topic as callers name it: its tree node, or `{ topic }` (tests, other extensions) with the answers to the prompts. */
export type TopicArgument = TopicNode | { topic: string; message?: string; messageGroupId?: string } | undefined;

const SAMPLE_MESSAGE = '{"hello": "world"}';

/** The message last published to each topic, offered again by the next Publish. */
const lastMessages = new Map<string, string>();

/** Publishes one message (asked for, JSON or text); FIFO topics also ask for the message group. */
export async function publishMessage(ctx: CommandContext, arg?: TopicArgument): Promise<{ messageId: string } | undefined> {
  if (!requireTrust('Publishing a message')) return undefined;
  const topics = (await ctx.host.get()).topics;
  await topics.ready();
  const name = isTopicNode(arg) ? arg.topic : arg?.topic ?? (await vscode.window.showQuickPick(topics.list().map((topic) => topic.name), { title: 'Publish', placeHolder: 'Topic' }));
  if (name === undefined) return undefined;
  const topic = topics.find(name);
  if (!topic) throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `There is no local topic named ${name}.`, { hint: `Topics: ${topics.list().map((t) => t.name).join(', ') || '(none)'}.` });
  const given = isTopicNode(arg) ? undefined : arg;
  const message = given?.message ?? (await vscode.window.showInputBox({
    title: `Publish to ${topic.name}`,
    prompt: 'Message (JSON or text): each subscription receives it (functions in the SNS event\'s Sns.Message)',
    value: lastMessages.get(topic.name) ?? SAMPLE_MESSAGE,
    validateInput: (text) => (text.length === 0 ? 'A message cannot be empty.' : undefined),
  }));
  if (message === undefined) return undefined;
  let fifo = {};
  if (topic.attributes.FifoTopic === 'true') {
    const messageGroupId = given?.messageGroupId ?? (await vscode.window.showInputBox({ title: `Publish to ${topic.name}`, prompt: 'Message group ID (FIFO topic)', value: 'default' }));
    if (!messageGroupId) return undefined;
    fifo = { messageGroupId, ...(topic.attributes.ContentBasedDeduplication === 'true' ? {} : { messageDeduplicationId: randomUUID() }) };
  }
  const published = await topics.publish(topic, { message, ...fifo });
  lastMessages.set(topic.name, message);
  ctx.logs.note(`Published message ${published.messageId} to ${topic.name}.`);
  return { messageId: published.messageId };
}
