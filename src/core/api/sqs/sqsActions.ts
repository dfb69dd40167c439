// Every SQS action the endpoint serves, by the operation name of AWS's model, over the workspace's LocalQueues.
import { errorMessage } from '../../common/errors';
import type { LocalQueue, MessageAttributeValue, QueueMessage, SendMessageInput } from '../../service/eventSources/localQueue';
import type { LocalQueues } from '../../service/eventSources/localQueues';
import { md5OfAttributes, messageSize } from '../../service/eventSources/messageDigest';
import { ProtocolError, type ProtocolAction, type ProtocolCall } from '../protocolService';
import { MessageMoveTasks } from './messageMoveTasks';
import { applyAttributes, queueAttributes } from './queueAttributes';

type Input = Record<string, unknown>;

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;
const MAX_ATTRIBUTES = 10;
/** PurgeQueue may run once a minute per queue. */
const PURGE_INTERVAL_MS = 60_000;
/** XML 1.0's characters: what SQS accepts in a body. */
const INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const SYSTEM_ATTRIBUTE_NAMES = ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'AWSTraceHeader', 'SenderId', 'SentTimestamp', 'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'DeadLetterQueueSourceArn'];

export function sqsActions(queues: LocalQueues): Record<string, ProtocolAction> {
  const urlOf = (call: ProtocolCall, queue: LocalQueue) => `${call.origin}/${queues.accountId}/${queue.name}`;
  const queueOf = (input: Input): LocalQueue => {
    const url = String(input.QueueUrl);
    const queue = queues.find(url.replace(/\/+$/, ''));
    if (!queue) throw new ProtocolError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };
  const moveTasks = new MessageMoveTasks(queues);

  return {
    CreateQueue: (call) => {
      const name = String(call.input.QueueName);
      const attributes = stringMap(call.input.Attributes);
      const fifo = attributes.FifoQueue === 'true';
      if (fifo ? !FIFO_QUEUE_NAME.test(name) : !QUEUE_NAME.test(name)) {
        throw new ProtocolError('InvalidParameterValue', fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      const base = { name, arn: queues.arnOf(name), visibilityTimeoutSeconds: 30, delaySeconds: 0, fifo: false, contentBasedDeduplication: false };
      const definition = applyAttributes(base, attributes, true, (arn) => queues.find(arn) !== undefined);
      const existing = queues.find(name);
      if (existing) {
        const current = queueAttributes(existing, ['All']);
        const differs = Object.entries(attributes).find(([key, value]) => key !== 'FifoQueue' && current[key] !== value);
        if (differs) throw new ProtocolError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${differs[0]}`);
        return { QueueUrl: urlOf(call, existing) };
      }
      const queue = queues.create(definition);
      queue.tags = stringMap(call.input.tags);
      return { QueueUrl: urlOf(call, queue) };
    },

    GetQueueUrl: (call) => {
      const queue = queues.find(String(call.input.QueueName));
      if (!queue) throw new ProtocolError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: urlOf(call, queue) };
    },

    ListQueues: (call) => {
      const prefix = typeof call.input.QueueNamePrefix === 'string' ? call.input.QueueNamePrefix : '';
      const all = queues.list().filter((queue) => queue.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
      const max = typeof call.input.MaxResults === 'number' ? call.input.MaxResults : undefined;
      if (max !== undefined && (max < 1 || max > 1000)) throw new ProtocolError('InvalidParameterValue', 'Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.');
      const start = typeof call.input.NextToken === 'string' ? Number(Buffer.from(call.input.NextToken, 'base64').toString('utf8')) || 0 : 0;
      const page = all.slice(start, max === undefined ? 1000 : start + max);
      const next = max !== undefined && start + page.length < all.length ? Buffer.from(String(start + page.length)).toString('base64') : undefined;
      return { ...(page.length ? { QueueUrls: page.map((queue) => urlOf(call, queue)) } : {}), ...(next ? { NextToken: next } : {}) };
    },

    GetQueueAttributes: (call) => {
      const names = stringList(call.input.AttributeNames);
      const attributes = queueAttributes(queueOf(call.input), names);
      return Object.keys(attributes).length ? { Attributes: attributes } : {};
    },

    SetQueueAttributes: (call) => {
      const queue = queueOf(call.input);
      queue.configure(applyAttributes(queue.definition, stringMap(call.input.Attributes), false, (arn) => queues.find(arn) !== undefined));
      return undefined;
    },

    DeleteQueue: (call) => {
      queues.delete(queueOf(call.input).name);
      return undefined;
    },

    PurgeQueue: (call) => {
      const queue = queueOf(call.input);
      const last = queue.purgedTimestamp;
      if (last !== undefined && Date.now() - last < PURGE_INTERVAL_MS) {
        throw new ProtocolError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
      }
      queue.purge();
      return undefined;
    },

    // Sends are answered once the message is in the state directory (sqs.json): a restarted `start` still has it.
    SendMessage: async (call) => {
      const queue = queueOf(call.input);
      const sent = send(queue, call.input);
      await queues.saved();
      return sentFields(sent);
    },

    SendMessageBatch: async (call) => {
      const queue = queueOf(call.input);
      const entries = batchEntries(call.input.Entries);
      const total = entries.reduce((sum, entry) => sum + messageSize(String(entry.MessageBody ?? ''), attributeValues(entry.MessageAttributes)), 0);
      if (total > queue.maximumMessageSize) {
        throw new ProtocolError('BatchRequestTooLong', `Batch requests cannot be longer than ${queue.maximumMessageSize} bytes. You have sent ${total} bytes.`);
      }
      const answer = eachEntry(entries, (entry) => sentFields(send(queue, entry)));
      await queues.saved();
      return answer;
    },

    ReceiveMessage: async (call) => {
      const queue = queueOf(call.input);
      const max = integerIn(call.input.MaxNumberOfMessages, 1, 10, 'MaxNumberOfMessages', 1);
      const visibility = call.input.VisibilityTimeout === undefined ? undefined : integerIn(call.input.VisibilityTimeout, 0, 43_200, 'VisibilityTimeout', 0);
      const wait = integerIn(call.input.WaitTimeSeconds, 0, 20, 'WaitTimeSeconds', queue.definition.receiveWaitSeconds ?? 0);
      const systemNames = [...stringList(call.input.AttributeNames), ...stringList(call.input.MessageSystemAttributeNames)];
      const attributeNames = stringList(call.input.MessageAttributeNames);
      const receive = () => queue.receive(max, { ...(visibility !== undefined ? { visibilityTimeoutSeconds: visibility } : {}), maxBytes: Number.MAX_SAFE_INTEGER, holdUntilSettled: false });
      let messages = receive();
      if (!messages.length && wait > 0) messages = await longPoll(queue, call, wait * 1000, receive);
      return messages.length ? { Messages: messages.map((message) => receivedMessage(message, systemNames, attributeNames)) } : {};
    },

    DeleteMessage: (call) => {
      const queue = queueOf(call.input);
      deleteMessage(queue, String(call.input.ReceiptHandle));
      return undefined;
    },

    DeleteMessageBatch: (call) => {
      const queue = queueOf(call.input);
      return eachEntry(batchEntries(call.input.Entries), (entry) => {
        deleteMessage(queue, String(entry.ReceiptHandle));
        return {};
      });
    },

    ChangeMessageVisibility: (call) => {
      const queue = queueOf(call.input);
      changeVisibility(queue, call.input);
      return undefined;
    },

    ChangeMessageVisibilityBatch: (call) => {
      const queue = queueOf(call.input);
      return eachEntry(batchEntries(call.input.Entries), (entry) => {
        changeVisibility(queue, entry);
        return {};
      });
    },

    ListDeadLetterSourceQueues: (call) => {
      const target = queueOf(call.input);
      const sources = queues.deadLetterSources(target);
      return { queueUrls: sources.map((queue) => urlOf(call, queue)) };
    },

    StartMessageMoveTask: (call) => moveTasks.start(call.input as Parameters<MessageMoveTasks['start']>[0]),
    ListMessageMoveTasks: (call) => moveTasks.list(call.input as Parameters<MessageMoveTasks['list']>[0]),
    CancelMessageMoveTask: (call) => moveTasks.cancel(call.input as Parameters<MessageMoveTasks['cancel']>[0]),

    TagQueue: (call) => {
      const queue = queueOf(call.input);
      queue.tags = { ...queue.tags, ...stringMap(call.input.Tags) };
      return undefined;
    },

    UntagQueue: (call) => {
      const queue = queueOf(call.input);
      const removed = new Set(stringList(call.input.TagKeys));
      queue.tags = Object.fromEntries(Object.entries(queue.tags).filter(([key]) => !removed.has(key)));
      return undefined;
    },

    ListQueueTags: (call) => {
      const tags = queueOf(call.input).tags;
      return Object.keys(tags).length ? { Tags: tags } : {};
    },
  };
}

/** Validates one message as SQS does and sends it; SQS's codes and wording for what a local queue would refuse. */
function send(queue: LocalQueue, input: Input): ReturnType<LocalQueue['send']> {
  const body = String(input.MessageBody);
  if (body.length === 0) throw new ProtocolError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const invalid = INVALID_BODY_CHARACTER.exec(body);
  if (invalid) {
    const code = (invalid[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw new ProtocolError('InvalidMessageContents', `Invalid binary character '#x${code}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`);
  }
  const messageAttributes = attributeValues(input.MessageAttributes);
  const systemAttributes = attributeValues(input.MessageSystemAttributes);
  const size = messageSize(body, messageAttributes);
  if (size > queue.maximumMessageSize) {
    throw new ProtocolError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${queue.maximumMessageSize} bytes.`);
  }
  const fifo = queue.definition.fifo;
  const delay = input.DelaySeconds === undefined ? undefined : integerIn(input.DelaySeconds, 0, 900, 'DelaySeconds', 0);
  if (fifo) {
    if (input.MessageGroupId === undefined) throw new ProtocolError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    if (delay) throw new ProtocolError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    if (input.MessageDeduplicationId === undefined && !queue.definition.contentBasedDeduplication) {
      throw new ProtocolError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
  } else if (input.MessageDeduplicationId !== undefined) {
    throw new ProtocolError('InvalidParameterValue', `Value ${String(input.MessageDeduplicationId)} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`);
  }
  const message: SendMessageInput = {
    body,
    messageAttributes,
    ...(Object.keys(systemAttributes).length ? { systemAttributes } : {}),
    ...(input.MessageGroupId !== undefined ? { messageGroupId: String(input.MessageGroupId) } : {}),
    ...(input.MessageDeduplicationId !== undefined ? { messageDeduplicationId: String(input.MessageDeduplicationId) } : {}),
    ...(delay !== undefined ? { delaySeconds: delay } : {}),
  };
  try {
    return queue.send(message);
  } catch (error) {
    throw new ProtocolError('InvalidParameterValue', errorMessage(error));
  }
}

function sentFields(sent: ReturnType<LocalQueue['send']>): Record<string, unknown> {
  return {
    MessageId: sent.messageId,
    MD5OfMessageBody: sent.md5OfBody,
    ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
    ...(sent.md5OfSystemAttributes ? { MD5OfMessageSystemAttributes: sent.md5OfSystemAttributes } : {}),
    ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
  };
}

/** Message attributes as the API writes them ({DataType, StringValue | BinaryValue}), checked as SQS checks them. */
function attributeValues(value: unknown): Record<string, MessageAttributeValue> {
  if (value === undefined || value === null) return {};
  const entries = Object.entries(value as Record<string, Record<string, unknown>>);
  if (entries.length > MAX_ATTRIBUTES) throw new ProtocolError('InvalidParameterValue', `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of entries) {
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw new ProtocolError('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid. Reason: it must be 1 to 256 letters, digits, '_', '-' and '.', without '..', a leading or trailing '.', or an AWS. or Amazon. prefix.`);
    }
    const dataType = String(attribute.DataType ?? '');
    const base = /^(String|Number|Binary)(\..+)?$/.exec(dataType)?.[1];
    if (!base) throw new ProtocolError('InvalidParameterValue', `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    const text = attribute.StringValue;
    const binary = attribute.BinaryValue;
    if (base === 'Binary' ? binary === undefined || binary === '' : typeof text !== 'string' || text === '') {
      throw new ProtocolError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`);
    }
    if (base === 'Number' && !Number.isFinite(Number(text))) {
      throw new ProtocolError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    result[name] = base === 'Binary' ? { dataType, binaryValue: Buffer.isBuffer(binary) ? binary.toString('base64') : String(binary) } : { dataType, stringValue: String(text) };
  }
  return result;
}

/** A received message with the system attributes and message attributes the receive asked for. */
export function receivedMessage(message: QueueMessage, systemNames: string[], attributeNames: string[]): Record<string, unknown> {
  const all = systemNames.includes('All');
  const system: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentTimestamp),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
    AWSTraceHeader: message.systemAttributes?.AWSTraceHeader?.stringValue,
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.messageDeduplicationId,
    MessageGroupId: message.messageGroupId,
    DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTE_NAMES) {
    const value = system[name];
    if (value !== undefined && (all || systemNames.includes(name))) attributes[name] = value;
  }
  const selected = Object.fromEntries(Object.entries(message.messageAttributes).filter(([name]) => attributeNames.some((pattern) => attributeSelected(pattern, name))));
  const md5 = md5OfAttributes(selected);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
    ...(md5 ? { MD5OfMessageAttributes: md5 } : {}),
    ...(Object.keys(selected).length
      ? { MessageAttributes: Object.fromEntries(Object.entries(selected).map(([name, value]) => [name, apiAttribute(value)])) }
      : {}),
  };
}

function apiAttribute(value: MessageAttributeValue): Record<string, unknown> {
  return { DataType: value.dataType, ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}), ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}) };
}

/** 'All' and '.*' select every attribute; 'prefix.*' those under a prefix; otherwise the exact name. */
function attributeSelected(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** Waits for a receivable message, the wait's end, or the client going away. */
function longPoll(queue: LocalQueue, call: ProtocolCall, waitMs: number, receive: () => QueueMessage[]): Promise<QueueMessage[]> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (messages: QueueMessage[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      call.request.req.socket.off('close', onClose);
      resolve(messages);
    };
    const onClose = () => finish([]);
    const timer = setTimeout(() => finish(receive()), waitMs);
    const subscription = queue.onDidChange(() => {
      const messages = receive();
      if (messages.length) finish(messages);
    });
    call.request.req.socket.once('close', onClose);
  });
}

function deleteMessage(queue: LocalQueue, receiptHandle: string): void {
  if (!validReceiptHandle(queue, receiptHandle)) throw new ProtocolError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
  // A handle that is no longer current (the message was deleted or received again) deletes nothing, as on SQS.
  queue.delete(receiptHandle);
}

function changeVisibility(queue: LocalQueue, input: Input): void {
  const handle = String(input.ReceiptHandle);
  const seconds = integerIn(input.VisibilityTimeout, 0, 43_200, 'VisibilityTimeout', 0);
  if (!validReceiptHandle(queue, handle)) throw new ProtocolError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  if (queue.changeVisibility(handle, seconds) !== 'changed') {
    throw new ProtocolError('MessageNotInflight', `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
  }
}

/** Handles this queue gave out: base64 of "<queue> <message id> <nonce>". */
function validReceiptHandle(queue: LocalQueue, handle: string): boolean {
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  return parts.length === 3 && parts[0] === queue.name;
}

/** A batch's entries, checked as SQS checks them (count, ids). */
function batchEntries(value: unknown): Input[] {
  const entries = Array.isArray(value) ? (value as Input[]) : [];
  if (entries.length === 0) throw new ProtocolError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (entries.length > MAX_BATCH_ENTRIES) throw new ProtocolError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
  const ids = new Set<string>();
  for (const entry of entries) {
    const id = String(entry.Id);
    if (!BATCH_ENTRY_ID.test(id)) throw new ProtocolError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    if (ids.has(id)) throw new ProtocolError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return entries;
}

/** Runs each entry; an entry's error goes into Failed with its code, the others into Successful. */
function eachEntry(entries: Input[], run: (entry: Input) => Record<string, unknown>): Record<string, unknown> {
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      successful.push({ Id: entry.Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
    }
  }
  return { Successful: successful, Failed: failed };
}

function integerIn(value: unknown, min: number, max: number, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  }
  return value;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, String(item)]));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
