// Every local SNS topic of a workspace with its subscriptions, kept in the state directory; Publish fans a message out to them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Emitter } from '../../common/events';
import { stableUuid } from '../../common/stableUuid';
import { StateStore, stateRoot } from '../../state/stateStore';
import type { MessageAttributeValue } from '../eventSources/localQueue';
import { FilterPolicyError, parseFilterPolicy, passesFilterPolicy, type FilterPolicyScope } from './filterPolicy';
import { MessageSigner, publishedSize, type DeliveryUrls, type TopicMessage } from './snsMessage';
import { TopicDelivery, type TopicTargets } from './topicDelivery';
import type { RecordOrigin, SavedTopics, SubscriptionRecord, TopicRecord } from './topicRecords';

export interface LocalTopicsOptions {
  /** Where topics and subscriptions are saved (<stateDir>/state/sns.json); without it they live in memory only. */
  stateDir?: string;
  region?: string;
  accountId?: string;
}

/** An SNS error: the model's shape name (NotFoundException, InvalidParameterException) and SNS's wording. */
export class TopicError extends Error {
  constructor(
    readonly code: 'NotFoundException' | 'InvalidParameterException' | 'InvalidParameterValueException',
    message: string,
  ) {
    super(message);
  }
}

export interface PublishInput {
  message: string;
  /** MessageStructure json: the message of each protocol (`default` is `message`). */
  messagesByProtocol?: Record<string, string>;
  subject?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface DeliveryReport {
  topicArn: string;
  subscription: SubscriptionRecord;
  /** Why the delivery failed; absent when it succeeded. */
  error?: string;
}

/** SNS's limit on a message with its attributes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
export const PROTOCOLS = ['lambda', 'sqs', 'http', 'https'];
const DOCUMENT = 'sns';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export class LocalTopics {
  private readonly topics = new Map<string, TopicRecord>();
  private readonly subscriptionsByArn = new Map<string, SubscriptionRecord>();
  private readonly state: StateStore | undefined;
  private readonly delivery: TopicDelivery;
  private loading: Promise<void> | undefined;
  private disposed = false;
  private readonly delivered = new Emitter<DeliveryReport>();
  /** Fires after each delivery to a subscription, failed or not (HTTP ones after their last attempt). */
  readonly onDidDeliver = this.delivered.event;
  readonly region: string;
  readonly accountId: string;
  /** Where subscribers are told to confirm and unsubscribe when a message comes from no API call (destinations). */
  defaultUrls: DeliveryUrls;

  constructor(targets: TopicTargets, options: LocalTopicsOptions = {}) {
    this.state = options.stateDir ? new StateStore(stateRoot(options.stateDir)) : undefined;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.defaultUrls = { endpoint: `https://sns.${this.region}.amazonaws.com` };
    this.delivery = new TopicDelivery(targets, new MessageSigner(), (subscription, error) =>
      this.delivered.fire({ topicArn: subscription.topicArn, subscription, ...(error !== undefined ? { error } : {}) }));
  }

  /** Restores the saved topics and subscriptions, once. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  arnOf(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  /** A topic by ARN (or by name). */
  find(arnOrName: string): TopicRecord | undefined {
    return this.topics.get(arnOrName.split(':').pop() ?? arnOrName);
  }

  list(): TopicRecord[] {
    return [...this.topics.values()].sort((a, b) => a.arn.localeCompare(b.arn));
  }

  /** CreateTopic: idempotent for the same name and attributes. */
  create(name: string, attributes: Record<string, string> = {}, tags: Record<string, string> = {}, origin: RecordOrigin = 'api'): TopicRecord {
    const fifo = attributes.FifoTopic === 'true';
    if (fifo ? !FIFO_TOPIC_NAME.test(name) : !TOPIC_NAME.test(name)) {
      throw new TopicError('InvalidParameterException', fifo
        ? 'Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Invalid parameter: Topic Name');
    }
    if (!fifo && name.endsWith('.fifo')) throw new TopicError('InvalidParameterException', 'Invalid parameter: Topic Name');
    const existing = this.topics.get(name);
    if (existing) {
      const differs = Object.entries(attributes).find(([key, value]) => existing.attributes[key] !== value);
      if (differs && origin === 'api') throw new TopicError('InvalidParameterException', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
      if (origin === 'template') existing.attributes = { ...attributes };
      this.save();
      return existing;
    }
    const topic: TopicRecord = { name, arn: this.arnOf(name), attributes: { ...attributes }, tags: { ...tags }, origin, sequence: 0 };
    this.topics.set(name, topic);
    this.save();
    return topic;
  }

  /** DeleteTopic: the topic and its subscriptions; deleting a topic that does not exist succeeds, as on SNS. */
  delete(arn: string): void {
    const topic = this.find(arn);
    if (!topic) return;
    this.topics.delete(topic.name);
    for (const subscription of this.subscriptions(topic.arn)) this.subscriptionsByArn.delete(subscription.arn);
    this.save();
  }

  setTopicAttribute(topic: TopicRecord, name: string, value: string): void {
    topic.attributes[name] = value;
    this.save();
  }

  /** Every subscription, or a topic's, in the order they were made. */
  subscriptions(topicArn?: string): SubscriptionRecord[] {
    return [...this.subscriptionsByArn.values()].filter((subscription) => topicArn === undefined || subscription.topicArn === topicArn);
  }

  findSubscription(arn: string): SubscriptionRecord | undefined {
    return this.subscriptionsByArn.get(arn);
  }

  /**
   * Subscribe: the same topic, protocol and endpoint give the same subscription. HTTP(S) endpoints are sent a
   * SubscriptionConfirmation and get messages once confirmed; lambda and sqs subscriptions are confirmed at once.
   */
  subscribe(topic: TopicRecord, protocol: string, endpoint: string, attributes: Record<string, string> = {}, urls: DeliveryUrls = this.defaultUrls, origin: RecordOrigin = 'api'): SubscriptionRecord {
    checkEndpoint(protocol, endpoint);
    for (const [name, value] of Object.entries(attributes)) checkSubscriptionAttribute(name, value, attributes);
    const existing = this.subscriptions(topic.arn).find((subscription) => subscription.protocol === protocol && subscription.endpoint === endpoint);
    if (existing) {
      if (origin === 'template') existing.attributes = { ...attributes };
      else if (Object.entries(attributes).some(([key, value]) => existing.attributes[key] !== value)) {
        throw new TopicError('InvalidParameterException', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
      }
      this.save();
      return existing;
    }
    const web = protocol === 'http' || protocol === 'https';
    // Template subscriptions keep their ARN across restarts (made from what they connect).
    const id = origin === 'template' ? stableUuid(`${topic.arn}|${protocol}|${endpoint}`) : randomUUID();
    const subscription: SubscriptionRecord = {
      arn: `${topic.arn}:${id}`,
      topicArn: topic.arn,
      protocol,
      endpoint,
      attributes: { ...attributes },
      confirmed: !web,
      ...(web ? { token: randomBytes(64).toString('hex') } : {}),
      origin,
    };
    this.subscriptionsByArn.set(subscription.arn, subscription);
    this.save();
    if (subscription.token) this.delivery.confirm(subscription, subscription.token, urls);
    return subscription;
  }

  /** ConfirmSubscription: the token the SubscriptionConfirmation carried. */
  confirm(topicArn: string, token: string): SubscriptionRecord {
    const subscription = this.subscriptions(topicArn).find((candidate) => candidate.token === token);
    if (!subscription) throw new TopicError('InvalidParameterException', 'Invalid token');
    subscription.confirmed = true;
    this.save();
    return subscription;
  }

  unsubscribe(arn: string): void {
    if (!this.subscriptionsByArn.delete(arn)) throw new TopicError('NotFoundException', 'Subscription does not exist');
    this.save();
  }

  setSubscriptionAttribute(subscription: SubscriptionRecord, name: string, value: string): void {
    checkSubscriptionAttribute(name, value, { ...subscription.attributes, [name]: value });
    subscription.attributes[name] = value;
    this.save();
  }

  /**
   * The template's topics and subscriptions: created or updated; template subscriptions the template no longer declares are
   * removed (API-made ones stay).
   */
  applyTemplate(topics: { name: string; attributes: Record<string, string> }[], subscriptions: { topicArn: string; protocol: string; endpoint: string; attributes: Record<string, string> }[]): string[] {
    const problems: string[] = [];
    for (const topic of topics) {
      try {
        this.create(topic.name, topic.attributes, {}, 'template');
      } catch (error) {
        problems.push(`Topic ${topic.name}: ${(error as Error).message}`);
      }
    }
    const kept = new Set<string>();
    for (const declared of subscriptions) {
      const topic = this.find(declared.topicArn);
      try {
        if (!topic) throw new TopicError('NotFoundException', `Topic ${declared.topicArn} does not exist`);
        kept.add(this.subscribe(topic, declared.protocol, declared.endpoint, declared.attributes, this.defaultUrls, 'template').arn);
      } catch (error) {
        problems.push(`Subscription of ${declared.endpoint} to ${declared.topicArn}: ${(error as Error).message}`);
      }
    }
    for (const subscription of this.subscriptions()) {
      if (subscription.origin === 'template' && !kept.has(subscription.arn)) this.subscriptionsByArn.delete(subscription.arn);
    }
    this.save();
    return problems;
  }

  /**
   * Publish: checks the message as SNS does, then delivers it to every confirmed subscription whose filter policy it
   * passes. Lambda and SQS deliveries are done when this resolves; HTTP ones continue (onDidDeliver reports them).
   */
  async publish(topic: TopicRecord, input: PublishInput, urls: DeliveryUrls = this.defaultUrls): Promise<{ messageId: string; sequenceNumber?: string }> {
    const attributes = input.messageAttributes ?? {};
    if (input.message === '') throw new TopicError('InvalidParameterException', 'Invalid parameter: Empty message');
    if (publishedSize(input.message, attributes) > MAX_MESSAGE_BYTES) throw new TopicError('InvalidParameterException', 'Invalid parameter: Message too long');
    const fifo = topic.attributes.FifoTopic === 'true';
    if (fifo && !input.messageGroupId) throw new TopicError('InvalidParameterException', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    if (!fifo && input.messageDeduplicationId) throw new TopicError('InvalidParameterException', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    let deduplicationId = input.messageDeduplicationId;
    if (fifo && !deduplicationId) {
      if (topic.attributes.ContentBasedDeduplication !== 'true') {
        throw new TopicError('InvalidParameterException', 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      deduplicationId = createHash('sha256').update(input.message).digest('hex');
    }
    const message: TopicMessage = {
      messageId: randomUUID(),
      topicArn: topic.arn,
      message: input.message,
      ...(input.messagesByProtocol ? { messagesByProtocol: input.messagesByProtocol } : {}),
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      messageAttributes: attributes,
      timestamp: new Date().toISOString(),
      ...(input.messageGroupId ? { messageGroupId: input.messageGroupId } : {}),
      ...(deduplicationId ? { messageDeduplicationId: deduplicationId } : {}),
      ...(fifo ? { sequenceNumber: String(++topic.sequence).padStart(20, '0') } : {}),
    };
    if (fifo) this.save();
    const receivers = this.subscriptions(topic.arn).filter((subscription) => subscription.confirmed && passes(subscription, message));
    await Promise.all(receivers.map((subscription) => this.delivery.deliver(subscription, message, urls)));
    return { messageId: message.messageId, ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}) };
  }

  /** Stops HTTP deliveries and waits for the writes under way (a service that never loaded the topics writes nothing). */
  async dispose(): Promise<void> {
    await this.delivery.dispose();
    this.disposed = true;
    await this.state?.flush();
    this.delivered.dispose();
  }

  private async load(): Promise<void> {
    const saved = await this.state?.read<SavedTopics>(DOCUMENT);
    for (const topic of saved?.topics ?? []) if (!this.topics.has(topic.name)) this.topics.set(topic.name, topic);
    for (const subscription of saved?.subscriptions ?? []) {
      if (!this.subscriptionsByArn.has(subscription.arn)) this.subscriptionsByArn.set(subscription.arn, subscription);
    }
  }

  /** Topics change rarely: each change is written at once (writes are serialised by the store). */
  private save(): void {
    if (!this.disposed) void this.write();
  }

  private async write(): Promise<void> {
    await this.state?.write(DOCUMENT, { topics: [...this.topics.values()], subscriptions: this.subscriptions() } satisfies SavedTopics).catch(() => undefined);
  }
}

function passes(subscription: SubscriptionRecord, message: TopicMessage): boolean {
  const text = subscription.attributes.FilterPolicy;
  if (!text) return true;
  const scope = (subscription.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  return passesFilterPolicy(parseFilterPolicy(text, scope), scope, message.messagesByProtocol?.[subscription.protocol] ?? message.message, message.messageAttributes);
}

/** The endpoint a protocol takes: a function ARN, a queue ARN, an http(s) URL. */
function checkEndpoint(protocol: string, endpoint: string): void {
  if (!PROTOCOLS.includes(protocol)) {
    throw new TopicError('InvalidParameterException', `Invalid parameter: Protocol Reason: ${protocol} is not a protocol Lambda Workbench delivers to (${PROTOCOLS.join(', ')}).`);
  }
  const valid = {
    lambda: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/,
    sqs: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/,
    http: /^http:\/\/\S+$/,
    https: /^https:\/\/\S+$/,
  }[protocol as 'lambda' | 'sqs' | 'http' | 'https'];
  if (!valid.test(endpoint)) {
    const what = { lambda: 'Lambda endpoint ARN', sqs: 'SQS endpoint ARN', http: 'Endpoint must match the specified protocol', https: 'Endpoint must match the specified protocol' }[protocol as 'lambda'];
    throw new TopicError('InvalidParameterException', `Invalid parameter: ${what}`);
  }
}

/** The subscription attributes SNS takes, with their values checked (FilterPolicy parsed in its scope). */
function checkSubscriptionAttribute(name: string, value: string, all: Record<string, string>): void {
  switch (name) {
    case 'RawMessageDelivery':
      if (value !== 'true' && value !== 'false') throw new TopicError('InvalidParameterException', 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
      return;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw new TopicError('InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [' + value + ']. Please use either MessageBody or MessageAttributes');
      if (all.FilterPolicy) checkSubscriptionAttribute('FilterPolicy', all.FilterPolicy, all);
      return;
    case 'FilterPolicy':
      if (value === '') return;
      try {
        parseFilterPolicy(value, (all.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope);
      } catch (error) {
        if (error instanceof FilterPolicyError) throw new TopicError('InvalidParameterException', error.message);
        throw error;
      }
      return;
    case 'DeliveryPolicy':
    case 'RedrivePolicy':
    case 'SubscriptionRoleArn':
    case 'ReplayPolicy':
      return;
    default:
      throw new TopicError('InvalidParameterException', `Invalid parameter: AttributeName Reason: ${name} is not a subscription attribute (RawMessageDelivery, FilterPolicy, FilterPolicyScope, DeliveryPolicy, RedrivePolicy).`);
  }
}
