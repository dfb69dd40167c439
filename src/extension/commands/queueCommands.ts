// The local SQS queues of the Resources section: Send Message..., Peek Messages, Receive Messages, Purge Queue, Redrive.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkbenchError } from '../../core/common/errors';
import type { LocalQueue, SentMessage } from '../../core/service/eventSources/localQueue';
import type { LocalQueues } from '../../core/service/eventSources/localQueues';
import { isQueueNode, type QueueNode } from '../tree/resources/queueSection';
import { requireTrust, type CommandContext } from './commandContext';

/** A queue as callers name it: its tree node, or `{ queue }` (tests, other extensions) with the answers to the prompts. */
export type QueueArgument = QueueNode | { queue: string; body?: string; messageGroupId?: string; confirmed?: boolean } | undefined;

/** Messages one Receive takes (ReceiveMessage's maximum). */
const RECEIVE_LIMIT = 10;
const SAMPLE_BODY = '{"hello": "world"}';

/** The body last sent to each queue, offered again by the next Send Message. */
const lastBodies = new Map<string, string>();

/** Sends one message (the body asked for, JSON or text); FIFO queues also ask for the message group. */
export async function sendMessage(ctx: CommandContext, arg?: QueueArgument): Promise<SentMessage | undefined> {
  if (!requireTrust('Sending a message')) return undefined;
  const { queue } = await resolveQueue(ctx, arg, 'Send Message');
  if (!queue) return undefined;
  const given = isQueueNode(arg) ? undefined : arg;
  const body = given?.body ?? (await vscode.window.showInputBox({
    title: `Send Message to ${queue.name}`,
    prompt: 'Message body (JSON or text): the functions fed by the queue receive it as the record\'s body',
    value: lastBodies.get(queue.name) ?? SAMPLE_BODY,
    validateInput: (text) => (text.length === 0 ? 'A message needs a body.' : undefined),
  }));
  if (body === undefined) return undefined;
  let messageGroupId: string | undefined;
  if (queue.definition.fifo) {
    messageGroupId = given?.messageGroupId ?? (await vscode.window.showInputBox({ title: `Send Message to ${queue.name}`, prompt: 'Message group ID (FIFO queue)', value: 'default' }));
    if (!messageGroupId) return undefined;
  }
  const fifo = messageGroupId === undefined ? {} : {
    messageGroupId,
    // A FIFO queue without ContentBasedDeduplication needs an id: each Send Message is a new message.
    ...(queue.definition.contentBasedDeduplication ? {} : { messageDeduplicationId: randomUUID() }),
  };
  const sent = queue.send({ body, ...fifo });
  lastBodies.set(queue.name, body);
  ctx.logs.note(`Sent message ${sent.messageId} to ${queue.name}.`);
  return sent;
}

/** Opens every message of the queue in a JSON document, in ReceiveMessage's shape with its state, without receiving any. */
export async function peekMessages(ctx: CommandContext, arg?: QueueArgument): Promise<vscode.TextDocument | undefined> {
  const { queue } = await resolveQueue(ctx, arg, 'Peek Messages');
  if (!queue) return undefined;
  const { receivedMessage } = await import('../../core/api/sqs/sqsActions.js');
  const now = Date.now();
  const messages = queue.peek().map((message) => {
    const { ReceiptHandle: _handle, ...shown } = receivedMessage(message, ['All'], ['All']);
    const state = message.processing || (message.visibleAt > now && message.receiveCount > 0) ? 'in flight' : message.visibleAt > now ? 'delayed' : 'visible';
    return { ...shown, State: state };
  });
  return showMessages({ QueueUrl: queueUrl(ctx, queue), Messages: messages });
}

/** Receives up to ten messages, deletes them, and opens them in a JSON document (ReceiveMessage's answer). */
export async function receiveMessages(ctx: CommandContext, arg?: QueueArgument): Promise<vscode.TextDocument | undefined> {
  const { queue } = await resolveQueue(ctx, arg, 'Receive Messages');
  if (!queue) return undefined;
  const { receivedMessage } = await import('../../core/api/sqs/sqsActions.js');
  const received = queue.receive(RECEIVE_LIMIT, { maxBytes: Number.MAX_SAFE_INTEGER, holdUntilSettled: false });
  for (const message of received) queue.delete(message.receiptHandle as string);
  ctx.logs.note(`Received and deleted ${received.length} message(s) of ${queue.name}.`);
  return showMessages({ QueueUrl: queueUrl(ctx, queue), Messages: received.map((message) => receivedMessage(message, ['All'], ['All'])) });
}

/** Deletes every message of the queue (PurgeQueue), once confirmed. */
export async function purgeQueue(ctx: CommandContext, arg?: QueueArgument): Promise<boolean> {
  const { queue } = await resolveQueue(ctx, arg, 'Purge Queue');
  if (!queue) return false;
  const confirmed = !isQueueNode(arg) && arg?.confirmed === true;
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(`Delete every message of ${queue.name}?`, { modal: true }, 'Purge');
    if (choice !== 'Purge') return false;
  }
  queue.purge();
  ctx.logs.note(`Purged ${queue.name}.`);
  return true;
}

/** Moves the dead-letter queue's messages back to the queues they came from (StartMessageMoveTask's default). */
export async function redriveQueue(ctx: CommandContext, arg?: QueueArgument): Promise<{ moved: number; kept: number } | undefined> {
  const { queue, queues } = await resolveQueue(ctx, arg, 'Redrive Messages');
  if (!queue || !queues) return undefined;
  const result = queues.redrive(queue);
  const kept = result.kept ? `; ${result.kept} stay (their source queue no longer exists)` : '';
  ctx.logs.note(`Redrive of ${queue.name}: ${result.moved} message(s) moved back to their source queues${kept}.`);
  void vscode.window.showInformationMessage(`${queue.name}: ${result.moved} message(s) moved back to their source queues${kept}.`);
  return result;
}

/** The queue the argument names, else the one the user picks (the workspace's service starts if it was not running). */
async function resolveQueue(ctx: CommandContext, arg: QueueArgument, title: string): Promise<{ queue?: LocalQueue; queues?: LocalQueues }> {
  const queues = (await ctx.host.get()).queues;
  await queues.ready();
  const name = isQueueNode(arg) ? arg.queue : arg?.queue ?? (await vscode.window.showQuickPick(queues.list().map((queue) => queue.name), { title, placeHolder: 'Queue' }));
  if (name === undefined) return {};
  const queue = queues.find(name);
  if (!queue) {
    throw new WorkbenchError('EVENT_SOURCE_NOT_FOUND', `There is no local queue named ${name}.`, { hint: `Queues: ${queues.list().map((q) => q.name).join(', ') || '(none)'}.` });
  }
  return { queue, queues };
}

function queueUrl(ctx: CommandContext, queue: LocalQueue): string {
  return `${ctx.host.endpointUrl ?? ''}/${queue.arn.split(':')[4] ?? ''}/${queue.name}`;
}

async function showMessages(content: object): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(content, null, 2)}\n` });
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}
