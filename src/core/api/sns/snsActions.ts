// Every SNS action the endpoint serves, by the operation name of AWS's model, over the workspace's LocalTopics.
import type { MessageAttributeValue } from '../../service/eventSources/localQueue';
import { TopicError, type LocalTopics, type PublishInput } from '../../service/topics/localTopics';
import type { SubscriptionRecord, TopicRecord } from '../../service/topics/topicRecords';
import { ProtocolError, type ProtocolAction, type ProtocolCall } from '../protocolService';
import { SNS_MODEL } from './snsModel.generated';

type Input = Record<string, unknown>;

/** ListTopics and ListSubscriptions pages. */
const TOPICS_PAGE = 100;
const SUBSCRIPTIONS_PAGE = 100;
const MAX_BATCH_ENTRIES = 10;
const MAX_ATTRIBUTES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_BYTES = 256 * 1024;
const SUBJECT = /^[\x20-\x7E]{1,100}$/;

export function snsActions(topics: LocalTopics): Record<string, ProtocolAction> {
  const topicOf = (arn: unknown): TopicRecord => {
    const topic = typeof arn === 'string' && arn.startsWith('arn:') ? topics.find(arn) : undefined;
    if (!topic) throw new ProtocolError('NotFoundException', 'Topic does not exist');
    return topic;
  };
  const subscriptionOf = (arn: unknown): SubscriptionRecord => {
    const subscription = typeof arn === 'string' ? topics.findSubscription(arn) : undefined;
    if (!subscription) throw new ProtocolError('NotFoundException', 'Subscription does not exist');
    return subscription;
  };
  const urls = (call: ProtocolCall) => ({ endpoint: call.origin });

  const actions: Record<string, ProtocolAction> = {
    CreateTopic: (call) => ({ TopicArn: topics.create(String(call.input.Name), stringMap(call.input.Attributes), tagMap(call.input.Tags)).arn }),

    DeleteTopic: (call) => {
      topics.delete(String(call.input.TopicArn));
      return undefined;
    },

    ListTopics: (call) => {
      const { page, next } = paged(topics.list(), call.input.NextToken, TOPICS_PAGE);
      return { Topics: page.map((topic) => ({ TopicArn: topic.arn })), ...(next ? { NextToken: next } : {}) };
    },

    GetTopicAttributes: (call) => {
      const topic = topicOf(call.input.TopicArn);
      const subscriptions = topics.subscriptions(topic.arn);
      return {
        Attributes: {
          TopicArn: topic.arn,
          Owner: topics.accountId,
          DisplayName: '',
          Policy: JSON.stringify(defaultPolicy(topic.arn, topics.accountId)),
          SubscriptionsConfirmed: String(subscriptions.filter((s) => s.confirmed).length),
          SubscriptionsPending: String(subscriptions.filter((s) => !s.confirmed).length),
          SubscriptionsDeleted: '0',
          EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false } }),
          ...topic.attributes,
        },
      };
    },

    SetTopicAttributes: (call) => {
      topics.setTopicAttribute(topicOf(call.input.TopicArn), String(call.input.AttributeName), String(call.input.AttributeValue ?? ''));
      return undefined;
    },

    Subscribe: (call) => {
      const topic = topicOf(call.input.TopicArn);
      const protocol = String(call.input.Protocol).toLowerCase();
      const subscription = topics.subscribe(topic, protocol, String(call.input.Endpoint ?? ''), stringMap(call.input.Attributes), urls(call));
      return { SubscriptionArn: subscription.confirmed || call.input.ReturnSubscriptionArn === true ? subscription.arn : 'pending confirmation' };
    },

    ConfirmSubscription: (call) => {
      topicOf(call.input.TopicArn);
      return { SubscriptionArn: topics.confirm(String(call.input.TopicArn), String(call.input.Token)).arn };
    },

    Unsubscribe: (call) => {
      topics.unsubscribe(String(call.input.SubscriptionArn));
      return undefined;
    },

    ListSubscriptions: (call) => listSubscriptions(topics.subscriptions(), call.input.NextToken, topics.accountId),

    ListSubscriptionsByTopic: (call) => listSubscriptions(topics.subscriptions(topicOf(call.input.TopicArn).arn), call.input.NextToken, topics.accountId),

    GetSubscriptionAttributes: (call) => {
      const subscription = subscriptionOf(call.input.SubscriptionArn);
      return {
        Attributes: {
          SubscriptionArn: subscription.arn,
          TopicArn: subscription.topicArn,
          Owner: topics.accountId,
          Protocol: subscription.protocol,
          Endpoint: subscription.endpoint,
          ConfirmationWasAuthenticated: 'true',
          PendingConfirmation: String(!subscription.confirmed),
          RawMessageDelivery: 'false',
          SubscriptionPrincipal: `arn:aws:iam::${topics.accountId}:root`,
          ...subscription.attributes,
        },
      };
    },

    SetSubscriptionAttributes: (call) => {
      topics.setSubscriptionAttribute(subscriptionOf(call.input.SubscriptionArn), String(call.input.AttributeName), String(call.input.AttributeValue ?? ''));
      return undefined;
    },

    Publish: async (call) => {
      const target = call.input.TopicArn ?? call.input.TargetArn;
      if (target === undefined) {
        if (call.input.PhoneNumber !== undefined) throw new ProtocolError('InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: SMS is not delivered by Lambda Workbench');
        throw new ProtocolError('InvalidParameterException', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      }
      const published = await topics.publish(topicOf(target), publishInput(call.input), urls(call));
      return { MessageId: published.messageId, ...(published.sequenceNumber ? { SequenceNumber: published.sequenceNumber } : {}) };
    },

    PublishBatch: async (call) => {
      const topic = topicOf(call.input.TopicArn);
      const entries = (call.input.PublishBatchRequestEntries ?? []) as Input[];
      if (entries.length === 0) throw new ProtocolError('EmptyBatchRequestException', 'The batch request doesn\'t contain any entries.');
      if (entries.length > MAX_BATCH_ENTRIES) throw new ProtocolError('TooManyEntriesInBatchRequestException', `The batch request contains more entries than permissible (${MAX_BATCH_ENTRIES}).`);
      const ids = entries.map((entry) => String(entry.Id));
      const invalid = ids.find((id) => !BATCH_ENTRY_ID.test(id));
      if (invalid !== undefined) throw new ProtocolError('InvalidBatchEntryIdException', `The Id of a batch entry in a batch request doesn't abide by the specification: ${invalid}.`);
      if (new Set(ids).size !== ids.length) throw new ProtocolError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
      const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(String(entry.Message ?? '')), 0);
      if (total > MAX_BATCH_BYTES) throw new ProtocolError('BatchRequestTooLongException', `The length of all the messages put together is more than the limit (${MAX_BATCH_BYTES} bytes).`);
      const successful: Input[] = [];
      const failed: Input[] = [];
      for (const entry of entries) {
        try {
          const published = await topics.publish(topic, publishInput(entry), urls(call));
          successful.push({ Id: entry.Id, MessageId: published.messageId, ...(published.sequenceNumber ? { SequenceNumber: published.sequenceNumber } : {}) });
        } catch (error) {
          const known = error instanceof ProtocolError || error instanceof TopicError;
          if (!known) throw error;
          failed.push({ Id: entry.Id, Code: SNS_MODEL.errors[error.code]?.code ?? error.code, Message: error.message, SenderFault: true });
        }
      }
      return { Successful: successful, Failed: failed };
    },
  };
  // LocalTopics speaks in TopicErrors; the client gets them as the model's errors.
  return Object.fromEntries(Object.entries(actions).map(([name, action]) => [name, async (call: ProtocolCall) => {
    try {
      return await action(call);
    } catch (error) {
      if (error instanceof TopicError) throw new ProtocolError(error.code, error.message);
      throw error;
    }
  }]));
}

/** Publish's input, checked as SNS checks it: subject, MessageStructure json, message attributes. */
function publishInput(input: Input): PublishInput {
  const message = String(input.Message ?? '');
  const subject = typeof input.Subject === 'string' ? input.Subject : undefined;
  if (subject !== undefined && !SUBJECT.test(subject)) throw new ProtocolError('InvalidParameterException', 'Invalid parameter: Subject');
  let messagesByProtocol: Record<string, string> | undefined;
  let text = message;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') throw new ProtocolError('InvalidParameterException', 'Invalid parameter: Message Structure - Invalid value');
    messagesByProtocol = jsonStructure(message);
    text = messagesByProtocol.default as string;
  }
  return {
    message: text,
    ...(messagesByProtocol ? { messagesByProtocol } : {}),
    ...(subject !== undefined ? { subject } : {}),
    messageAttributes: messageAttributes(input.MessageAttributes),
    ...(typeof input.MessageGroupId === 'string' ? { messageGroupId: input.MessageGroupId } : {}),
    ...(typeof input.MessageDeduplicationId === 'string' ? { messageDeduplicationId: input.MessageDeduplicationId } : {}),
  };
}

function jsonStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new ProtocolError('InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProtocolError('InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse');
  const entries = parsed as Record<string, unknown>;
  if (typeof entries.default !== 'string') throw new ProtocolError('InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body');
  return Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Message attributes: String, Number, Binary and String.Array (with an optional custom suffix), each with a value. */
function messageAttributes(value: unknown): Record<string, MessageAttributeValue> {
  const attributes = (value ?? {}) as Record<string, Input>;
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) throw new ProtocolError('InvalidParameterValueException', `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const dataType = String(attribute.DataType ?? '');
    const type = dataType.split('.')[0];
    if (type !== 'String' && type !== 'Number' && type !== 'Binary') {
      throw new ProtocolError('InvalidParameterValueException', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const text = type === 'Binary' ? attribute.BinaryValue : attribute.StringValue;
    if (typeof text !== 'string' || text === '') {
      throw new ProtocolError('InvalidParameterValueException', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (type === 'Number' && !Number.isFinite(Number(text))) {
      throw new ProtocolError('InvalidParameterValueException', `An invalid or out-of-range value '${text}' was supplied for the message attribute '${name}' of type Number.`);
    }
    if (dataType === 'String.Array' && !Array.isArray(parseJson(text))) {
      throw new ProtocolError('InvalidParameterValueException', `The message attribute '${name}' with type 'String.Array' must contain a JSON array of strings, numbers, true, false and null.`);
    }
    result[name] = type === 'Binary' ? { dataType, binaryValue: text } : { dataType, stringValue: text };
  }
  return result;
}

function listSubscriptions(subscriptions: SubscriptionRecord[], token: unknown, owner: string): Record<string, unknown> {
  const { page, next } = paged(subscriptions, token, SUBSCRIPTIONS_PAGE);
  return {
    Subscriptions: page.map((subscription) => ({
      SubscriptionArn: subscription.confirmed ? subscription.arn : 'PendingConfirmation',
      Owner: owner,
      Protocol: subscription.protocol,
      Endpoint: subscription.endpoint,
      TopicArn: subscription.topicArn,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

function paged<T>(items: T[], token: unknown, size: number): { page: T[]; next?: string } {
  const start = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ProtocolError('InvalidParameterException', 'Invalid parameter: NextToken');
  const page = items.slice(start, start + size);
  return { page, ...(start + size < items.length ? { next: Buffer.from(String(start + size)).toString('base64') } : {}) };
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([key, item]) => [key, String(item)]));
}

function tagMap(value: unknown): Record<string, string> {
  return Object.fromEntries(((value ?? []) as Input[]).map((tag) => [String(tag.Key), String(tag.Value)]));
}

function defaultPolicy(topicArn: string, owner: string): Record<string, unknown> {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: topicArn,
      Condition: { StringEquals: { 'AWS:SourceOwner': owner } },
    }],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
